# generated from specs/openai/ by codegen; do not edit
"""Wire models for the OpenAI (Chat Completions, Responses, Models) API, compiled from specs/openai/.

Modules (one per schema, root class in brackets):

- ``lip_wire.openai.chat_completion_request`` (ChatCompletionRequest)
- ``lip_wire.openai.chat_completion`` (ChatCompletion)
- ``lip_wire.openai.chat_completion_chunk`` (ChatCompletionChunk)
- ``lip_wire.openai.error`` (ErrorResponse)
- ``lip_wire.openai.models_list`` (ModelsList)
- ``lip_wire.openai.responses_request`` (ResponsesRequest)
- ``lip_wire.openai.response`` (Response)
- ``lip_wire.openai.response_stream_event`` (ResponseStreamEvent)
"""
