import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { Config } from '../config.ts'

/** Ollama's OpenAI-compatible API; its native API adds nothing citeqa uses. */
export const OLLAMA_DEFAULT_BASE_URL = 'http://localhost:11434/v1'

/**
 * The configured chat model, or undefined for `LLM_PROVIDER=none`. Every provider speaks the
 * OpenAI chat-completions protocol, so one client serves OpenAI, DeepSeek, DashScope, vLLM,
 * llama.cpp and Ollama. Retries and timeouts are citeqa's (see LlmAnswerer), so the client's are off.
 */
export async function createChatModel(config: Config): Promise<BaseChatModel | undefined> {
  if (config.LLM_PROVIDER === 'none') return undefined
  // Imported only with a provider: the client and its dependencies take ~0.3 s to load.
  const { ChatOpenAI } = await import('@langchain/openai')
  const baseURL = config.LLM_BASE_URL ?? (config.LLM_PROVIDER === 'ollama' ? OLLAMA_DEFAULT_BASE_URL : undefined)
  return new ChatOpenAI({
    model: config.LLM_MODEL,
    // Local servers need no key, but the client insists on one.
    apiKey: config.LLM_API_KEY ?? 'not-needed',
    temperature: config.LLM_TEMPERATURE,
    maxTokens: config.LLM_MAX_TOKENS,
    maxRetries: 0,
    timeout: config.LLM_TIMEOUT_MS,
    // stream_options is not understood by every compatible server; usage is not needed.
    streamUsage: false,
    configuration: { baseURL, maxRetries: 0 },
  })
}

/** A human-readable id of the model, for logs and `/health`: `provider:model@host`. */
export function describeChatModel(config: Config): string {
  if (config.LLM_PROVIDER === 'none') return 'none'
  const baseURL = config.LLM_BASE_URL ?? (config.LLM_PROVIDER === 'ollama' ? OLLAMA_DEFAULT_BASE_URL : 'https://api.openai.com/v1')
  return `${config.LLM_PROVIDER}:${config.LLM_MODEL}@${new URL(baseURL).host}`
}
