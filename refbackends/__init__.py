"""Reference backends: spec-shaped emulators of vendor LLM APIs.

One subpackage per wire protocol (``openai_chat``, ``openai_responses``,
``anthropic_messages``, ``gemini``), sharing the protocol-independent pieces:
per-request scripting (:mod:`.scripting`), the ``/__emulator__`` control
plane (:mod:`.control`), timed and cuttable responses (:mod:`.streaming`),
deterministic content (:mod:`.content`) and a loopback server for tests
(:mod:`.serving`).

The emulators stay independent of the code they test: from ``lip`` they
import only :mod:`lip.schema_example` (the one JSON-Schema example
generator, shared with the runtime's local stub) and its JSON types. They
validate requests with the generated wire models (``lip_wire``), so a pin
bump that changes what a vendor accepts changes what its emulator accepts.
"""
