import type { ProgressInfo } from '@huggingface/transformers'
import cliProgress from 'cli-progress'

/** Receives the progress events transformers.js emits while it fetches and loads model files. */
export type ModelLoadProgressHandler = (event: ProgressInfo) => void

/**
 * Returns an `onProgress` handler that draws one `cli-progress` bar per model file being
 * downloaded, on `stream` (stderr by default, so stdout stays clean for program output).
 *
 * transformers.js reports every file it opens, even local and cached ones, and those arrive as a
 * single `progress` event that is already complete; a bar is only drawn for a file whose first
 * `progress` event is still partial, i.e. one that is really being transferred.
 *
 * When the stream is not a terminal (CI logs, redirected output) bars would only add noise, so
 * the handler writes a single `Downloading <model>/<file> (<size>)` line per downloaded file.
 */
export function createDownloadProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
): ModelLoadProgressHandler {
  const barsByFile = new Map<string, cliProgress.SingleBar>()
  // Files whose first `progress` event was handled: each gets at most one bar or one log line.
  const seenFiles = new Set<string>()
  let bars: cliProgress.MultiBar | undefined

  function startBar(fileKey: string, loaded: number, total: number): void {
    bars ??= new cliProgress.MultiBar(
      {
        stream,
        format: '{file} [{bar}] {percentage}% | {loadedSize} / {totalSize}',
        hideCursor: true,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    )
    barsByFile.set(fileKey, bars.create(total, loaded, sizesPayload(fileKey, loaded, total)))
  }

  function finishBar(fileKey: string): void {
    const bar = barsByFile.get(fileKey)
    if (!bar) return
    bar.update(bar.getTotal(), sizesPayload(fileKey, bar.getTotal(), bar.getTotal()))
    barsByFile.delete(fileKey)
    // Stop once nothing is in flight rather than waiting for `ready`: a load that fails after its
    // downloads never sends `ready`, and the terminal cursor must be restored anyway.
    if (barsByFile.size === 0) {
      bars?.stop()
      bars = undefined
    }
  }

  return (event) => {
    if (event.status === 'ready') return
    const fileKey = `${event.name}/${event.file}`

    if (event.status === 'done') {
      finishBar(fileKey)
      return
    }
    if (event.status !== 'progress') return

    const bar = barsByFile.get(fileKey)
    if (bar) {
      // Without a Content-Length header transformers.js grows `total` as bytes arrive.
      if (event.total !== bar.getTotal()) bar.setTotal(event.total)
      bar.update(event.loaded, sizesPayload(fileKey, event.loaded, event.total))
      return
    }
    if (seenFiles.has(fileKey)) return
    seenFiles.add(fileKey)

    const alreadyComplete = event.total > 0 && event.loaded >= event.total
    if (alreadyComplete) return
    if (stream.isTTY) {
      startBar(fileKey, event.loaded, event.total)
    } else {
      const size = event.total > 0 ? ` (${formatBytes(event.total)})` : ''
      stream.write(`Downloading ${fileKey}${size}\n`)
    }
  }
}

function sizesPayload(file: string, loaded: number, total: number): Record<string, string> {
  return { file, loadedSize: formatBytes(loaded), totalSize: total > 0 ? formatBytes(total) : '?' }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
