# generated from specs/gemini/ by codegen; do not edit
"""Wire models for the Gemini generateContent (v1beta REST) API, compiled from specs/gemini/.

Modules (one per schema, root class in brackets):

- ``lip_wire.gemini.generate_content_request`` (GenerateContentRequest)
- ``lip_wire.gemini.generate_content_response`` (GenerateContentResponse)
- ``lip_wire.gemini.error_response`` (ErrorResponse)
"""
