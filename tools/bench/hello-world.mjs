// The bench's yardstick: Express's hello-world, started with plain `node` the way the bench starts
// citeqa. It answers the same requests the bench sends to citeqa — GET /health, and POST /ask with
// a JSON question that it parses — with a small JSON body, so the two runs differ only in the work.
import express from 'express'

const app = express()
app.get('/health', (_request, response) => response.json({ status: 'ok' }))
app.post('/ask', express.json(), (request, response) => response.json({ answer: 'Hello World!', question: request.body.question }))
app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1')
