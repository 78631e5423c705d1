import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { BaseMessage } from '@langchain/core/messages'
import type { ChatPromptTemplate } from '@langchain/core/prompts'
import type { Citation } from '../answer/types.ts'
import { CiteqaError } from '../errors.ts'
import type { ConversationTurn } from './follow-up.ts'
import { defaultHistoryBudget, trimHistory, type HistoryBudget } from './history-budget.ts'
import type { LlmConcurrencyLimit } from './llm-concurrency.ts'
import { classifyLlmError } from './llm-error.ts'
import { escapeFenceTags } from './prompt-data.ts'
import { loadPromptFile } from './prompt-files.ts'
import { withRetries } from './retry.ts'

export interface LlmAnswererOptions {
  /** Longest wait for one call, first byte to last token, in ms. */
  timeoutMs: number
  /** Further attempts after a retryable failure (429, 5xx, timeout, dropped connection). */
  maxRetries: number
  /** Wait before the first retry, doubled each time. Default 250 ms. */
  retryBaseDelayMs?: number
  /** Human-readable id of the model (provider:model@host). */
  description: string
  /** Bounds the calls at once and the wait for one (LLM_MAX_CONCURRENCY, LLM_MAX_WAIT_MS); unbounded without it. */
  concurrency?: LlmConcurrencyLimit
  /** How much of the conversation a follow-up sends to the model. Default 6 turns, 4,000 characters. */
  historyBudget?: HistoryBudget
}

/** Tokens one model call used, as the provider reported them. */
export interface TokenUsage {
  promptTokens: number
  completionTokens: number
}

export interface GenerateOptions {
  question: string
  passages: Citation[]
  signal?: AbortSignal
  /** Called with each piece of text as the model streams it; without it the call is not streamed. */
  onToken?: (text: string) => void
}

/** A whole-document question over the document's outline (see prompts/overview.md). */
export interface GenerateOverviewOptions extends Omit<GenerateOptions, 'passages'> {
  /** The outline as numbered lines (see formatOutline); their numbers are the citations'. */
  outline: string
  /** A long document's cached summary, its markers pointing at outline lines; empty otherwise. */
  summary: string
}

/** The prompts of whole-document answers and of long documents' summaries (prompts/overview.md, summarize-part.md, summarize-document.md). */
export interface OverviewPrompts {
  overview: ChatPromptTemplate
  summarizePart: ChatPromptTemplate
  summarizeDocument: ChatPromptTemplate
}

/** The provider's token counts on a message or stream chunk, when it sent them. */
function usageOf(message: BaseMessage): TokenUsage | undefined {
  const usage = (message as { usage_metadata?: { input_tokens?: number; output_tokens?: number } }).usage_metadata
  if (!usage) return undefined
  return { promptTokens: usage.input_tokens ?? 0, completionTokens: usage.output_tokens ?? 0 }
}

function contentText(message: BaseMessage): string {
  const { content } = message
  if (typeof content === 'string') return content
  return content.map((part) => (typeof part === 'string' ? part : part.type === 'text' && 'text' in part ? String(part.text) : '')).join('')
}

/** Passages as the answer prompt numbers them: `[n] (section) text`, fence tags escaped (the prompt fences them as data). */
export function formatPassages(passages: Citation[]): string {
  return passages.map((passage) => escapeFenceTags(`[${passage.n}] ${passage.section ? `(${passage.section}) ` : ''}${passage.text}`)).join('\n')
}

/** The conversation as `User:`/`Assistant:` lines, one a turn, fence tags escaped. */
export function formatHistory(history: ConversationTurn[]): string {
  return history.map((turn) => escapeFenceTags(`${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content.replace(/\s+/g, ' ').trim()}`)).join('\n')
}

/**
 * Answers over numbered passages with a chat model, and condenses follow-ups. Each call gets a
 * timeout and retries for what a retry can fix; a streamed call is not retried once text has
 * reached the caller (it could not be taken back).
 */
export class LlmAnswerer {
  private readonly usageListeners = new Set<(usage: TokenUsage) => void>()

  constructor(
    private readonly model: BaseChatModel,
    readonly options: LlmAnswererOptions,
    private readonly answerPrompt: ChatPromptTemplate = loadPromptFile('answer'),
    private readonly condensePrompt: ChatPromptTemplate = loadPromptFile('condense'),
    private readonly overviewPrompts: OverviewPrompts = {
      overview: loadPromptFile('overview'),
      summarizePart: loadPromptFile('summarize-part'),
      summarizeDocument: loadPromptFile('summarize-document'),
    },
  ) {}

  get description(): string {
    return this.options.description
  }

  /** Calls `listener` with the tokens of every call whose provider reports them (metrics); returns the unsubscribe. */
  onUsage(listener: (usage: TokenUsage) => void): () => void {
    this.usageListeners.add(listener)
    return () => this.usageListeners.delete(listener)
  }

  private reportUsage(usage: TokenUsage | undefined): void {
    if (usage) for (const listener of this.usageListeners) listener(usage)
  }

  private async invokeText(messages: BaseMessage[], signal: AbortSignal): Promise<string> {
    const message = await this.model.invoke(messages, { signal })
    this.reportUsage(usageOf(message))
    return contentText(message)
  }

  /** The model's answer text (unverified: see verifyCitations). Throws a CiteqaError `llm_*`. */
  async generate({ question, passages, signal, onToken }: GenerateOptions): Promise<string> {
    return this.complete(await this.answerPrompt.formatMessages({ passages: formatPassages(passages), question }), signal, onToken)
  }

  /** The model's answer to a whole-document question over the outline (unverified). Throws a CiteqaError `llm_*`. */
  async generateOverview({ question, outline, summary, signal, onToken }: GenerateOverviewOptions): Promise<string> {
    return this.complete(await this.overviewPrompts.overview.formatMessages({ outline, summary, question }), signal, onToken)
  }

  /** Map step of a long document's summary: 1–3 sentences on one part, citing its numbered passages (unverified). */
  async summarizePart(part: string, passages: Citation[], signal?: AbortSignal): Promise<string> {
    return this.complete(await this.overviewPrompts.summarizePart.formatMessages({ part, passages: formatPassages(passages) }), signal)
  }

  /** Reduce step: the parts' summaries, as numbered notes, combined into one summary citing the notes (unverified). */
  async summarizeDocument(notes: string, signal?: AbortSignal): Promise<string> {
    return this.complete(await this.overviewPrompts.summarizeDocument.formatMessages({ notes }), signal)
  }

  private async complete(messages: BaseMessage[], signal?: AbortSignal, onToken?: (text: string) => void): Promise<string> {
    let streamed = false
    return this.call(signal, async (attemptSignal) => {
      if (!onToken) return this.invokeText(messages, attemptSignal)
      let text = ''
      for await (const chunk of await this.model.stream(messages, { signal: attemptSignal })) {
        this.reportUsage(usageOf(chunk))
        const piece = contentText(chunk)
        if (piece === '') continue
        text += piece
        streamed = true
        onToken(piece)
      }
      return text
    }, () => streamed)
  }

  /** The follow-up rewritten as a standalone question. */
  async condense(question: string, history: ConversationTurn[], signal?: AbortSignal): Promise<string> {
    // Only the latest turns, within a character budget: a long chat must not cost more per question.
    const recent = trimHistory(history, this.options.historyBudget ?? defaultHistoryBudget)
    const messages = await this.condensePrompt.formatMessages({ history: formatHistory(recent), question })
    const text = await this.call(signal, (attemptSignal) => this.invokeText(messages, attemptSignal))
    // Models sometimes add a label or quotes despite the prompt.
    return text
      .trim()
      .split('\n')[0]
      .replace(/^(standalone question|独立问题)\s*[:：]\s*/i, '')
      .replace(/^["“'「]|["”'」]$/g, '')
      .trim()
  }

  private async call(signal: AbortSignal | undefined, attempt: (signal: AbortSignal) => Promise<string>, hasStreamed = () => false): Promise<string> {
    const { concurrency } = this.options
    // One slot for the whole call, retries and their backoff included: a struggling provider gets less traffic, not more.
    const release = await concurrency?.acquire(signal)
    try {
      return await this.attempts(signal, attempt, hasStreamed)
    } finally {
      release?.()
    }
  }

  private async attempts(signal: AbortSignal | undefined, attempt: (signal: AbortSignal) => Promise<string>, hasStreamed: () => boolean): Promise<string> {
    const { timeoutMs, maxRetries, retryBaseDelayMs } = this.options
    return withRetries(
      async () => {
        const timeout = AbortSignal.timeout(timeoutMs)
        const attemptSignal = signal ? AbortSignal.any([signal, timeout]) : timeout
        let text: string
        try {
          text = await attempt(attemptSignal)
        } catch (error) {
          if (signal?.aborted) throw error
          const classified = classifyLlmError(error, { timedOut: timeout.aborted, timeoutMs })
          throw hasStreamed() ? notRetryable(classified) : classified
        }
        if (text.trim() === '') throw new CiteqaError('llm_empty_output', 'LLM: the model returned no text', { status: 502 })
        return text
      },
      { maxRetries, baseDelayMs: retryBaseDelayMs, signal },
    )
  }
}

/** Text already streamed cannot be taken back, so a failure after it is final. */
function notRetryable(error: CiteqaError): CiteqaError {
  return new CiteqaError(error.code, `${error.message} (after part of the answer was streamed)`, { status: error.status, retryable: false, cause: error.cause })
}
