from tests.e2e.conftest import emulator, emulator_url, lip_url, stub_url

__all__ = ["emulator", "emulator_url", "lip_url", "stub_url"]
