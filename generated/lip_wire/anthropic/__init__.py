# generated from specs/anthropic/ by codegen; do not edit
"""Wire models for the Anthropic Messages API, compiled from specs/anthropic/.

Modules (one per schema, root class in brackets):

- ``lip_wire.anthropic.message_create_request`` (MessageCreateRequest)
- ``lip_wire.anthropic.message`` (Message)
- ``lip_wire.anthropic.message_stream_event`` (MessageStreamEvent)
- ``lip_wire.anthropic.error_response`` (ErrorResponse)
"""
