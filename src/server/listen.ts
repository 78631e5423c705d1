import type { Server } from 'node:http'
import { CiteqaError } from '../errors.ts'

/**
 * Binds `server` to `host:port` and resolves once the socket is bound — not before, so nothing is
 * logged as listening that is not. A failure rejects with a CiteqaError that names the address and
 * says what to do (a taken port, a port that needs privileges, a HOST that is not this machine's).
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(listenError(error, port, host))
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

function listenError(error: NodeJS.ErrnoException, port: number, host: string): CiteqaError {
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const options = { cause: error }
  switch (error.code) {
    case 'EADDRINUSE':
      return new CiteqaError('port_in_use', `Server: cannot listen on ${address}: the port is taken by another process`, {
        ...options,
        hint: `Stop it, or set PORT (or HOST) to a free one, e.g. PORT=${port === 65535 ? 3000 : port + 1}.`,
      })
    case 'EACCES':
      return new CiteqaError('port_denied', `Server: cannot listen on ${address}: permission denied`, {
        ...options,
        hint: 'Ports below 1024 need privileges: set PORT to 1024 or above.',
      })
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CiteqaError('host_unavailable', `Server: cannot listen on ${address}: HOST ${host} is not an address of this machine`, {
        ...options,
        hint: 'Set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).',
      })
    default:
      return new CiteqaError('listen_failed', `Server: cannot listen on ${address}: ${error.message}`, options)
  }
}
