"""Reference backends: spec-shaped emulators of vendor LLM APIs.

One subpackage per wire protocol (``openai_chat``, ``openai_responses``,
``anthropic_messages``, ``gemini``), sharing the protocol-independent pieces:
per-request scripting (:mod:`.scripting`), the ``/__emulator__`` control
plane (:mod:`.control`), timed, cuttable and stallable responses
(:mod:`.streaming`), per-exchange timing and prompt disconnect handling
(:mod:`.exchange`), deterministic content (:mod:`.content`) and a loopback
server for tests, plus a port that refuses connections (:mod:`.serving`).

The emulators stay independent of the code they test: from ``lip`` they
import only :mod:`lip.schema_example` (the one JSON-Schema example
generator, shared with the runtime's local stub) and its JSON types. They
validate requests with the generated wire models (``lip_wire``), so a pin
bump that changes what a vendor accepts changes what its emulator accepts.
"""
