import { z } from 'zod'
import { CiteqaError } from './errors.ts'

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

// An API key travels in `Authorization: Bearer <key>`: visible ASCII, no comma (the list separator).
const API_KEY = /^[\x21-\x2b\x2d-\x7e]+$/

/** `a,b, c` → ['a', 'b', 'c']; every key must be a bearer token and there must be at least one. */
const apiKeyList = z
  .string()
  .transform((value) => value.split(',').map((key) => key.trim()).filter((key) => key !== ''))
  .pipe(z.array(z.string().regex(API_KEY, 'API keys are visible ASCII characters without spaces or commas')).min(1, 'name at least one key'))

// Express's `trust proxy`: true/false, a number of hops, or addresses, subnets and the names loopback, linklocal, uniquelocal.
const PROXY_ADDRESS = /^(loopback|linklocal|uniquelocal|[0-9a-f.:]+(\/\d{1,3})?)$/i
const trustProxySetting = z.string().transform((value, context) => {
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  if (/^\d+$/.test(value)) return Number(value)
  const addresses = value.split(',').map((address) => address.trim()).filter((address) => address !== '')
  const bad = addresses.find((address) => !PROXY_ADDRESS.test(address))
  if (addresses.length === 0 || bad !== undefined) {
    context.addIssue({ code: 'custom', message: `expected true, false, a number of proxies, or addresses/subnets (loopback, 10.0.0.0/8, …)${bad ? `; got "${bad}"` : ''}` })
    return z.NEVER
  }
  return addresses.join(',')
})

/**
 * Every setting of citeqa, read from the environment (and `.env`) once at start-up.
 * `.env.example` documents each variable; a wrong value stops the process naming the variable.
 */
const configSchema = z.object({
  /** Article file (.txt, .md, .html, .pdf, .docx), or a folder of such files (each its own document). */
  ARTICLE_PATH: z.string().min(1).default('data/article.txt'),
  /**
   * Folder of the documents added through `POST /documents` (created when the first one comes),
   * served together with ARTICLE_PATH's; its readable files are read at start like a folder
   * ARTICLE_PATH. When ARTICLE_PATH names this same folder, its documents are read once and all
   * may be removed through the API. Default `data/documents`.
   */
  DOCUMENTS_DIR: z.string().min(1).default('data/documents'),
  /** Largest document accepted by `POST /documents`, in bytes, 1024–1073741824 (1 GiB); past it `413 document_too_large`. Default 20971520 (20 MiB). */
  MAX_DOCUMENT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(20 * 1024 * 1024),
  /** Most documents served at once, ARTICLE_PATH's and those being added included, 1–10000; past it `POST /documents` answers `409 too_many_documents`. Default 100. */
  MAX_DOCUMENTS: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Folder of the persisted search index (the `files` store), and of cached LLM summaries with either store. */
  INDEX_DIR: z.string().min(1).default('index'),
  /**
   * Where the search index lives. `files` (default): a folder of files in INDEX_DIR, loaded whole
   * into the process — zero setup, one machine. `postgres`: PostgreSQL with pgvector at
   * DATABASE_URL, in generations that every replica switches to when an ingest publishes one.
   */
  INDEX_STORE: z.enum(['files', 'postgres']).default('files'),
  /**
   * PostgreSQL connection URL of the `postgres` store, e.g. postgres://user:password@host:5432/citeqa
   * (`npm run postgres:start` prints one for a local throwaway cluster). Required with INDEX_STORE=postgres.
   */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' }).optional(),
  /**
   * How long a replaced index generation is kept before it is dropped, in seconds, 1–86400: requests
   * that began on it finish on it, and replicas that missed the switch have this long to catch up.
   * Default 300. Only with INDEX_STORE=postgres.
   */
  INDEX_GENERATION_GRACE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * How often a replica checks for a newly published index generation, in ms, 100–600000, in case
   * it missed the notification (a dropped connection). Default 5000. Only with INDEX_STORE=postgres.
   */
  INDEX_GENERATION_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** `auto` tries the multilingual model and falls back to the offline embedder; the others force one. */
  EMBEDDINGS: z.enum(['auto', 'transformers', 'offline']).default('auto'),
  EMBEDDING_MODEL: z.string().min(1).default('Xenova/multilingual-e5-small'),
  EMBEDDING_DTYPE: z.enum(['q8', 'int8', 'uint8', 'fp16', 'fp32', 'q4']).default('q8'),
  /** Folder holding `<model id>/` subfolders with local copies of models. */
  LOCAL_MODEL_PATH: z.string().min(1).default('models'),
  /** Whether the model may be downloaded from the Hugging Face hub when no local copy exists. */
  ALLOW_REMOTE_MODELS: booleanFromString.default(true),
  /** Where downloaded models are cached (default: transformers.js's cache folder). */
  MODEL_CACHE_DIR: z.string().min(1).optional(),
  /** The hub models are downloaded from (transformers.js's `env.remoteHost`), e.g. a mirror such as https://hf-mirror.com/. */
  MODEL_HUB_URL: z.url().default('https://huggingface.co/'),
  /**
   * Longest wait for the hub to answer a request (connecting included), in ms, 500–120000; a
   * download may also pause 30 s at most. Past either the model counts as unavailable
   * (EMBEDDINGS=auto falls back to the offline embedder). Default 5000.
   */
  MODEL_HUB_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(5000),
  CHUNK_MAX_CHARACTERS: z.coerce.number().int().min(40).max(2000).default(240),
  CHUNK_OVERLAP_SENTENCES: z.coerce.number().int().min(0).max(3).default(1),
  /** Longest question accepted, in characters. */
  MAX_QUESTION_LENGTH: z.coerce.number().int().min(10).max(100_000).default(2000),
  /**
   * Extractive answers kept for questions asked again (least recently used go first), 0–1,000,000;
   * 0 keeps none. Default 1000 (~1–3 KB each), and at most 16 million characters in all. LLM answers and follow-ups are never kept.
   */
  ANSWER_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto` (default): readable coloured lines when the log (stderr) is a terminal, one JSON object a line otherwise; or force `json` / `pretty`. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /**
   * API keys, comma-separated. Set: `POST /ask`, `/v1/*` and `/metrics` need `Authorization:
   * Bearer <key>` (401 otherwise); `/health`, the chat page and the article stay open. Unset
   * (default): no key needed.
   */
  API_KEYS: apiKeyList.optional(),
  /**
   * Keys that may change the documents, comma-separated. Set: `POST /documents` and `DELETE
   * /documents/:id` need one of these (401 without a key, 403 with another valid key), and they
   * are accepted wherever API_KEYS are. Unset (default): any API_KEYS key may (no key when API_KEYS is unset too).
   */
  ADMIN_API_KEYS: apiKeyList.optional(),
  /**
   * Requests a minute per client to `POST /ask` and `/v1/*` — per API key when keys are set, else
   * per address — 1–1,000,000; past it `429 rate_limited` with `Retry-After`. Unset (default): no limit.
   * Counted in memory, or with INDEX_STORE=postgres in the database, so every replica counts together.
   */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /**
   * Uploads a minute per client to `POST /documents` (per API key when keys are set, else per
   * address), 0–1,000,000; past it `429 rate_limited` with `Retry-After`. Each upload is written to
   * disk, hashed and indexed, so it is limited even when RATE_LIMIT_PER_MINUTE is not. `0`: no limit. Default 30.
   */
  UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(30),
  /**
   * Express's `trust proxy`: which proxies' `X-Forwarded-For` to believe for the client address
   * (rate limits, logs). `false` (default): none, the socket's address counts. A number: that many
   * proxies in front (1 for one nginx). Addresses/subnets (`loopback`, `10.0.0.0/8`): those
   * proxies. `true` believes any client's header — spoofable unless only a proxy can reach the service.
   */
  TRUST_PROXY: trustProxySetting.default(false),
  /**
   * Chat model for `mode: "llm"`. `openai`: any OpenAI-compatible server at LLM_BASE_URL (OpenAI,
   * DeepSeek, DashScope, vLLM, llama.cpp, Ollama's /v1). `ollama`: the same client with Ollama's
   * defaults (http://localhost:11434/v1, no key). `none` (default): llm mode answers extractively.
   */
  LLM_PROVIDER: z.enum(['none', 'openai', 'ollama']).default('none'),
  /** Base URL of the chat-completions API, e.g. https://api.deepseek.com/v1. Default: the provider's own. */
  LLM_BASE_URL: z.url().optional(),
  /** Model name sent to the server, e.g. gpt-4o-mini, deepseek-chat, qwen-plus, qwen2.5:7b. Required with a provider. */
  LLM_MODEL: z.string().min(1).optional(),
  LLM_API_KEY: z.string().min(1).optional(),
  /** Sampling temperature, 0–2. Default 0.2: answers should stay close to the passages. */
  LLM_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.2),
  /** Longest wait for one LLM call (first byte to last token), in ms, 100–600000. Default 30000. */
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Most tokens the model may generate per answer, 16–32768. Default 1024. */
  LLM_MAX_TOKENS: z.coerce.number().int().min(16).max(32_768).default(1024),
  /** Retries of an LLM call after a 429, a 5xx, a timeout or a dropped connection, 0–5. Default 2. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** LLM calls at once, 1–256. Default 4: the owner's spend and the provider's rate limit stay bounded under any load. */
  LLM_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /**
   * Longest a request waits for a free LLM call, in ms, 0–60000. Default 1000. Past it the request
   * answers extractively with `degraded: true, reason: "llm_busy: …"` instead of queueing.
   */
  LLM_MAX_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Latest conversation turns sent to the model with a follow-up (a question and its answer are two), 0–20. Default 6. */
  LLM_HISTORY_MAX_TURNS: z.coerce.number().int().min(0).max(20).default(6),
  /** Characters of conversation sent to the model with a follow-up, 0–100000; older turns are dropped, the oldest kept one cut. Default 4000. */
  LLM_HISTORY_MAX_CHARACTERS: z.coerce.number().int().min(0).max(100_000).default(4000),
})

export type Config = z.infer<typeof configSchema>

// Variables whose values are secrets: a wrong one is named, never echoed.
const SECRET_VARIABLES = new Set(['API_KEYS', 'ADMIN_API_KEYS', 'LLM_API_KEY', 'DATABASE_URL'])

const CONFIG_HINT = 'Fix it in .env or in the environment (.env.example describes every variable).'

/**
 * Parses the environment; throws one CiteqaError (`invalid_config`) naming every bad variable and
 * its value, e.g. `Config: PORT="eighty": expected a number`.
 */
export function parseConfig(environment: Record<string, string | undefined> = process.env): Config {
  // Empty strings (VAR= in .env) mean "not set", so the default applies.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''))
  const result = configSchema.safeParse(present)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const variable = String(issue.path[0])
      const value = SECRET_VARIABLES.has(variable) ? '' : `=${JSON.stringify(present[variable])}`
      return `${variable}${value}: ${readableIssue(issue.message)}`
    })
    throw new CiteqaError('invalid_config', `Config: ${problems.join('; ')}`, { hint: CONFIG_HINT, details: result.error.issues })
  }
  if (result.data.INDEX_STORE === 'postgres' && !result.data.DATABASE_URL) {
    throw new CiteqaError('invalid_config', 'Config: DATABASE_URL is required when INDEX_STORE is postgres (npm run postgres:start prints one for a local cluster)', { hint: CONFIG_HINT })
  }
  if (result.data.LLM_PROVIDER !== 'none' && !result.data.LLM_MODEL) {
    throw new CiteqaError('invalid_config', `Config: LLM_MODEL is required when LLM_PROVIDER is ${result.data.LLM_PROVIDER}`, { hint: CONFIG_HINT })
  }
  return result.data
}

/** zod's message without its generic prefix: `Invalid input: expected number, received NaN` → `expected a number`. */
function readableIssue(message: string): string {
  return message
    .replace(/^Invalid (input|option): /, '')
    .replace(/^expected number, received NaN$/, 'expected a number')
    .replace(/^Too big: expected number to be <=?/, 'expected a number at most ')
    .replace(/^Too small: expected number to be >=?/, 'expected a number at least ')
    .replace(/^Invalid URL$/, 'expected a URL such as https://example.com/')
}
