"""Reference backends: spec-shaped emulators of vendor LLM APIs.

One subpackage per wire protocol (``openai_chat`` today), sharing the
protocol-independent pieces: per-request scripting (:mod:`.scripting`), the
``/__emulator__`` control plane (:mod:`.control`), timed and cuttable
responses (:mod:`.streaming`), deterministic content (:mod:`.content`,
:mod:`.schema_example`) and a loopback server for tests (:mod:`.serving`).
Nothing here imports ``lip``: the emulators stay independent of the code
they test.
"""
