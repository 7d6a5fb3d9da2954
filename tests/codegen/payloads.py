"""Realistic wire payloads (shapes as the vendors send them) for the codegen tests."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

WEATHER_PARAMS: Json = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
    "required": ["city"],
    "additionalProperties": False,
}

CHAT_REQUEST: Json = {
    "model": "gpt-4o-2024-08-06",
    "messages": [
        {"role": "developer", "content": "Answer briefly."},
        {"role": "system", "content": [{"type": "text", "text": "You are a weather bot."}]},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this image, and the weather in Paris?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "high"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "tool_calls": [
                {
                    "id": "call_abc",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_abc", "content": '{"temp_c": 21}'},
    ],
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Current weather for a city.",
                "parameters": WEATHER_PARAMS,
                "strict": True,
            },
        }
    ],
    "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
    "parallel_tool_calls": False,
    "stream": True,
    "stream_options": {"include_usage": True},
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "answer",
            "schema": {"type": "object", "properties": {"text": {"type": "string"}}},
            "strict": True,
        },
    },
    "temperature": 0.2,
    "max_completion_tokens": 512,
    "stop": ["\n\n"],
    "seed": 7,
    "user": "u-1",
    "metadata": {"trace": "t-1"},
    "reasoning_effort": "xhigh-2030",  # unknown future value: enums are widened
}

CHAT_COMPLETION: Json = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1_760_000_000,
    "model": "gpt-4o-2024-08-06",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "refusal": None,
                "annotations": [],
                "tool_calls": [
                    {
                        "id": "call_abc",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            "logprobs": None,
            "finish_reason": "tool_calls",
        }
    ],
    "usage": {
        "prompt_tokens": 120,
        "completion_tokens": 17,
        "total_tokens": 137,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    },
    "service_tier": "default",
    "system_fingerprint": "fp_1",
}


def _chunk(choices: list[Json], **extra: Any) -> Json:
    base: Json = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_760_000_000,
        "model": "gpt-4o-2024-08-06",
        "system_fingerprint": "fp_1",
        "choices": choices,
    }
    return {**base, **extra}


CHAT_CHUNKS: list[Json] = [
    _chunk(
        [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": None, "refusal": None},
                "logprobs": None,
                "finish_reason": None,
            }
        ],
        usage=None,
    ),
    _chunk(
        [
            {
                "index": 0,
                "delta": {
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": "call_abc",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": ""},
                        }
                    ]
                },
                "logprobs": None,
                "finish_reason": None,
            }
        ],
        usage=None,
    ),
    _chunk(
        [
            {
                "index": 0,
                "delta": {"tool_calls": [{"index": 0, "function": {"arguments": '{"city":'}}]},
                "finish_reason": None,
            }
        ]
    ),
    _chunk(
        [
            {
                "index": 0,
                "delta": {"tool_calls": [{"index": 1, "function": {"arguments": '"Paris"}'}}]},
                "finish_reason": None,
            }
        ]
    ),
    _chunk([{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "tool_calls"}]),
    _chunk(
        [],
        usage={
            "prompt_tokens": 120,
            "completion_tokens": 17,
            "total_tokens": 137,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0},
        },
    ),
]

OPENAI_ERROR: Json = {
    "error": {
        "message": "The model `gpt-9` does not exist or you do not have access to it.",
        "type": "invalid_request_error",
        "param": None,
        "code": "model_not_found",
    }
}

MODELS_LIST: Json = {
    "object": "list",
    "data": [
        {"id": "gpt-4o", "object": "model", "created": 1_715_367_049, "owned_by": "system"},
        {"id": "lip-alias", "object": "model", "created": 0, "owned_by": "lip"},
    ],
}

RESPONSES_REQUEST: Json = {
    "model": "gpt-5",
    "instructions": "Answer briefly.",
    "input": [
        {"role": "user", "content": "plain text message without a type"},
        {
            "type": "message",
            "role": "user",
            "content": [
                {"type": "input_text", "text": "And this image?"},
                {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "auto"},
            ],
        },
        {
            "type": "function_call",
            "call_id": "call_1",
            "name": "get_weather",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call_output", "call_id": "call_1", "output": '{"temp_c": 21}'},
    ],
    "tools": [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Current weather for a city.",
            "parameters": WEATHER_PARAMS,
            "strict": True,
        }
    ],
    "tool_choice": "auto",
    "reasoning": {"effort": "low", "summary": "auto"},
    "text": {
        "format": {
            "type": "json_schema",
            "name": "answer",
            "schema": {"type": "object"},
            "strict": True,
        }
    },
    "stream": True,
    "store": False,
    "max_output_tokens": 1024,
}

RESPONSE_OUTPUT_MESSAGE: Json = {
    "type": "message",
    "id": "msg_1",
    "status": "completed",
    "role": "assistant",
    "content": [{"type": "output_text", "text": "It is sunny.", "annotations": []}],
}

RESPONSE_FUNCTION_CALL: Json = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "get_weather",
    "arguments": '{"city":"Paris"}',
    "status": "completed",
}

RESPONSE: Json = {
    "id": "resp_1",
    "object": "response",
    "created_at": 1_760_000_000,
    "status": "completed",
    "model": "gpt-5-2025-08-07",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAA"},
        RESPONSE_OUTPUT_MESSAGE,
        RESPONSE_FUNCTION_CALL,
    ],
    "parallel_tool_calls": True,
    "tool_choice": "auto",
    "tools": [],
    "usage": {
        "input_tokens": 30,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": 12,
        "output_tokens_details": {"reasoning_tokens": 4},
        "total_tokens": 42,
    },
    "error": None,
    "incomplete_details": None,
    "instructions": None,
    "metadata": {},
    "temperature": 1.0,
    "top_p": 1.0,
}

RESPONSE_EVENTS: list[Json] = [
    {"type": "response.created", "sequence_number": 0, "response": {**RESPONSE, "output": []}},
    {
        "type": "response.output_item.added",
        "sequence_number": 1,
        "output_index": 0,
        "item": {**RESPONSE_OUTPUT_MESSAGE, "status": "in_progress", "content": []},
    },
    {
        "type": "response.content_part.added",
        "sequence_number": 2,
        "item_id": "msg_1",
        "output_index": 0,
        "content_index": 0,
        "part": {"type": "output_text", "text": "", "annotations": []},
    },
    {
        "type": "response.output_text.delta",
        "sequence_number": 3,
        "item_id": "msg_1",
        "output_index": 0,
        "content_index": 0,
        "delta": "It is",
        "logprobs": [],
    },
    {
        "type": "response.function_call_arguments.delta",
        "sequence_number": 4,
        "item_id": "fc_1",
        "output_index": 1,
        "delta": '{"city":',
    },
    {"type": "response.completed", "sequence_number": 5, "response": RESPONSE},
]

ANTHROPIC_REQUEST: Json = {
    "model": "claude-sonnet-4-5",
    "max_tokens": 1024,
    "system": [
        {"type": "text", "text": "You are a weather bot.", "cache_control": {"type": "ephemeral"}}
    ],
    "messages": [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Weather in Paris? See image."},
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
                },
            ],
        },
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "Need the tool.", "signature": "sig=="},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": [{"type": "text", "text": '{"temp_c": 21}'}],
                    "is_error": False,
                }
            ],
        },
    ],
    "tools": [
        {
            "name": "get_weather",
            "description": "Current weather for a city.",
            "input_schema": WEATHER_PARAMS,
        }
    ],
    "tool_choice": {"type": "auto", "disable_parallel_tool_use": True},
    "thinking": {"type": "enabled", "budget_tokens": 1024},
    "stream": True,
    "metadata": {"user_id": "u-1"},
    "stop_sequences": ["\n\nHuman:"],
    "temperature": 1,
}

ANTHROPIC_USAGE: Json = {
    "input_tokens": 25,
    "output_tokens": 1,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 0,
    "service_tier": "standard",
}

ANTHROPIC_MESSAGE: Json = {
    "id": "msg_01",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [
        {"type": "thinking", "thinking": "Need the tool.", "signature": "sig=="},
        {"type": "text", "text": "Let me check.", "citations": None},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
    ],
    "stop_reason": "tool_use",
    "stop_sequence": None,
    "usage": ANTHROPIC_USAGE,
}

ANTHROPIC_EVENTS: list[Json] = [
    {
        "type": "message_start",
        "message": {**ANTHROPIC_MESSAGE, "content": [], "stop_reason": None},
    },
    {"type": "ping"},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}},
    {"type": "content_block_stop", "index": 0},
    {
        "type": "content_block_start",
        "index": 1,
        "content_block": {"type": "thinking", "thinking": "", "signature": ""},
    },
    {
        "type": "content_block_delta",
        "index": 1,
        "delta": {"type": "thinking_delta", "thinking": "hmm"},
    },
    {
        "type": "content_block_delta",
        "index": 1,
        "delta": {"type": "signature_delta", "signature": "sig=="},
    },
    {
        "type": "content_block_start",
        "index": 2,
        "content_block": {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}},
    },
    {
        "type": "content_block_delta",
        "index": 2,
        "delta": {"type": "input_json_delta", "partial_json": '{"city": "Par'},
    },
    {
        "type": "message_delta",
        "delta": {"stop_reason": "tool_use", "stop_sequence": None},
        "usage": {"output_tokens": 42},
    },
    {"type": "message_stop"},
    {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
]

ANTHROPIC_ERROR: Json = {
    "type": "error",
    "error": {"type": "request_too_large", "message": "Request exceeds the maximum size"},
    "request_id": "req_1",
}

GEMINI_REQUEST: Json = {
    "systemInstruction": {"role": "user", "parts": [{"text": "You are a weather bot."}]},
    "contents": [
        {
            "role": "user",
            "parts": [
                {"text": "Weather in Paris? See image."},
                {"inlineData": {"mimeType": "image/png", "data": "iVBORw0KGgo="}},
            ],
        },
        {
            "role": "model",
            "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}}],
        },
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"temp_c": 21}}},
            ],
        },
    ],
    "tools": [
        {
            "functionDeclarations": [
                {
                    "name": "get_weather",
                    "description": "Current weather for a city.",
                    "parameters": {
                        "type": "OBJECT",
                        "properties": {
                            "city": {"type": "STRING", "description": "City name"},
                            "days": {"type": "ARRAY", "items": {"type": "STRING"}, "maxItems": "3"},
                        },
                        "required": ["city"],
                    },
                }
            ]
        }
    ],
    "toolConfig": {"functionCallingConfig": {"mode": "AUTO"}},
    "safetySettings": [
        {"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"},
    ],
    "generationConfig": {
        "temperature": 0.2,
        "maxOutputTokens": 512,
        "stopSequences": ["END"],
        "thinkingConfig": {"thinkingBudget": 128, "includeThoughts": True},
    },
}

GEMINI_RESPONSE: Json = {
    "candidates": [
        {
            "content": {
                "role": "model",
                "parts": [
                    {"text": "Let me check.", "thought": False},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
                ],
            },
            "finishReason": "STOP",
            "index": 0,
            "safetyRatings": [
                {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
            ],
        }
    ],
    "usageMetadata": {
        "promptTokenCount": 30,
        "candidatesTokenCount": 12,
        "totalTokenCount": 50,
        "thoughtsTokenCount": 8,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 30}],
    },
    "modelVersion": "gemini-2.5-flash",
    "responseId": "resp-1",
}
