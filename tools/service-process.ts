import { createServer } from 'node:net'

/**
 * A free loopback port: the OS picks one and it is released before the caller binds it. For the
 * bench and the soak, which start the service as its own process on a port of their choosing.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolvePort(port))
    })
  })
}
