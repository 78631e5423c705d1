import type { Server, ServerResponse } from 'node:http'
import { Server as NetServer } from 'node:net'

/**
 * Idle keep-alive connections stay open this long after the signal, so a request a client has
 * already put on one is still read and answered; then they are closed.
 */
export const IDLE_CONNECTION_GRACE_MS = 1000

/**
 * The listener closes this long after the signal. Connections the kernel has already completed
 * but the event loop has not accepted yet (it may be busy for tens of ms under load) would be
 * reset by closing it at once — and their clients have sent their requests.
 */
export const ACCEPT_QUEUED_CONNECTIONS_MS = 100

/**
 * Prepares `server` for a graceful stop and returns the stop: no new connections (after
 * {@link ACCEPT_QUEUED_CONNECTIONS_MS}); every response
 * from then on — and those in flight whose headers are not out yet — says `Connection: close`; a
 * stream already under way ends its connection when it ends; idle keep-alive connections are
 * closed after {@link IDLE_CONNECTION_GRACE_MS}. `onClosed` runs when the last connection is gone —
 * in well under Node's keep-alive timeout (5 s), which `server.close()` alone would wait out.
 */
export function prepareGracefulStop(server: Server): (onClosed: () => void) => void {
  let stopping = false
  const open = new Set<ServerResponse>()
  const closeWhenDone = (response: ServerResponse) => {
    if (!response.headersSent) {
      response.setHeader('Connection', 'close')
      return
    }
    const socket = response.socket
    response.once('finish', () => socket?.end())
  }
  server.on('request', (_request, response: ServerResponse) => {
    open.add(response)
    response.once('close', () => open.delete(response))
    if (stopping) closeWhenDone(response)
  })
  return (onClosed) => {
    if (stopping) return
    stopping = true
    // Not http.Server#close(): it also drops idle keep-alive connections at once — among them any
    // whose next request is already on the wire but not read yet, and its client would get
    // ECONNRESET. net.Server#close only stops accepting; idle connections go after the grace.
    setTimeout(() => NetServer.prototype.close.call(server, () => onClosed()), ACCEPT_QUEUED_CONNECTIONS_MS)
    for (const response of open) closeWhenDone(response)
    setTimeout(() => {
      server.closeIdleConnections()
      setInterval(() => server.closeIdleConnections(), 100).unref()
    }, IDLE_CONNECTION_GRACE_MS).unref()
  }
}
