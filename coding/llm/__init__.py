"""An optional local LLM coder: any OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, LM Studio, vLLM)
codes respondent turns from the codebook's structured fields; its answers are stored and scored like any coder.

Nothing here runs, and no request is made, unless the project sets `llm_endpoint` and `llm_model` explicitly.
"""
