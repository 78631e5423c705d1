import type { Request, Response } from 'express'

/** One Server-Sent Events stream on a response. */
export interface EventStream {
  /** Writes `event: <name>` with JSON data; ignored once the client is gone. */
  send(event: string, data: unknown): void
  end(): void
}

/** Opens an SSE stream: headers that keep proxies from buffering, then events as they come. */
export function openEventStream(response: Response): EventStream {
  response.status(200)
  response.set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' })
  response.flushHeaders()
  return {
    send(event, data) {
      if (response.writableEnded || response.destroyed) return
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    },
    end() {
      if (!response.writableEnded) response.end()
    },
  }
}

/** True when the client asked for a stream: `"stream": true`, or `Accept: text/event-stream` unless `"stream": false`. */
export function wantsEventStream(request: Request, stream: boolean | undefined): boolean {
  return stream ?? (request.get('accept') ?? '').includes('text/event-stream')
}

/** A signal that fires when the client disconnects before the response is finished. */
export function abortOnDisconnect(response: Response): AbortSignal {
  const controller = new AbortController()
  response.on('close', () => {
    if (!response.writableFinished) controller.abort(new Error('Client disconnected'))
  })
  return controller.signal
}
