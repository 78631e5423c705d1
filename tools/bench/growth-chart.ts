import type { BenchResult } from './bench-report.ts'

/** One measured point of the growth curve, as the chart needs it (absent figures are left out). */
export interface GrowthChartPoint {
  /** Multiple of the base corpus (1, 2, 4, 8). */
  multiple: number
  characters: number
  ingestSeconds?: number
  ingestCpuSeconds?: number
  ingestPeakMegabytes?: number
  indexMegabytes?: number
  startSeconds?: number
  serverMegabytes?: number
  askP50Ms?: number
  askP95Ms?: number
}

interface Panel {
  title: string
  unit: string
  series: { label: string; values: (number | undefined)[]; colour: string }[]
  /** The issue's goal at the largest point, drawn as a dashed line. */
  goal?: number
  goalLabel?: string
}

const WIDTH = 240
const HEIGHT = 170
const MARGIN = { left: 46, right: 14, top: 28, bottom: 34 }
const COLUMNS = 3
const INK = '#1f2933'
const MUTED = '#5d6675'
const BLUE = '#2563eb'
const ORANGE = '#c2410c'

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  return [1, 2, 5, 10].map((step) => step * power).find((bound) => bound >= value)!
}

function formatTick(value: number): string {
  return value >= 100 ? value.toFixed(0) : String(Number(value.toPrecision(2)))
}

function thousands(characters: number): string {
  return characters >= 1_000_000 ? `${(characters / 1_000_000).toFixed(1)}M` : `${Math.round(characters / 1000)}k`
}

function drawPanel(panel: Panel, points: GrowthChartPoint[], x0: number, y0: number): string[] {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const maxMultiple = Math.max(...points.map((point) => point.multiple))
  const measured = panel.series.flatMap((series) => series.values.filter((value): value is number => value !== undefined))
  const top = niceCeiling(Math.max(...measured, panel.goal ?? 0))
  // x is the corpus size, linear, so linear growth reads as a straight line.
  const x = (multiple: number) => x0 + MARGIN.left + (maxMultiple === 1 ? plotWidth / 2 : ((multiple - 1) / (maxMultiple - 1)) * plotWidth)
  const y = (value: number) => y0 + MARGIN.top + plotHeight - (value / top) * plotHeight
  const lines = [
    `<text x="${x0 + MARGIN.left}" y="${y0 + 16}" font-size="12" font-weight="600" fill="${INK}">${escapeXml(panel.title)} <tspan font-weight="400" fill="${MUTED}">(${escapeXml(panel.unit)})</tspan></text>`,
    `<line x1="${x0 + MARGIN.left}" y1="${y(0)}" x2="${x0 + MARGIN.left + plotWidth}" y2="${y(0)}" stroke="${MUTED}"/>`,
    `<line x1="${x0 + MARGIN.left}" y1="${y(0)}" x2="${x0 + MARGIN.left}" y2="${y(top)}" stroke="${MUTED}"/>`,
  ]
  for (const tick of [0, top / 2, top]) {
    lines.push(`<text x="${x0 + MARGIN.left - 5}" y="${y(tick) + 4}" font-size="10" text-anchor="end" fill="${MUTED}">${formatTick(tick)}</text>`)
  }
  for (const point of points) {
    lines.push(`<text x="${x(point.multiple)}" y="${y(0) + 13}" font-size="10" text-anchor="middle" fill="${MUTED}">${point.multiple}×</text>`)
    lines.push(`<text x="${x(point.multiple)}" y="${y(0) + 25}" font-size="9" text-anchor="middle" fill="${MUTED}">${thousands(point.characters)}</text>`)
  }
  if (panel.goal !== undefined) {
    lines.push(`<line x1="${x0 + MARGIN.left}" y1="${y(panel.goal)}" x2="${x0 + MARGIN.left + plotWidth}" y2="${y(panel.goal)}" stroke="${MUTED}" stroke-dasharray="4 3"/>`)
    lines.push(`<text x="${x0 + MARGIN.left + plotWidth}" y="${y(panel.goal) - 3}" font-size="9" text-anchor="end" fill="${MUTED}">${escapeXml(panel.goalLabel ?? `goal ${formatTick(panel.goal)}`)}</text>`)
  }
  for (const series of panel.series) {
    const placed = points.flatMap((point, index) => (series.values[index] === undefined ? [] : [[x(point.multiple), y(series.values[index]!)] as const]))
    if (placed.length > 1) lines.push(`<polyline points="${placed.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}" fill="none" stroke="${series.colour}" stroke-width="2"/>`)
    for (const [px, py] of placed) lines.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${series.colour}"/>`)
  }
  if (panel.series.length > 1) {
    panel.series.forEach((series, index) => {
      lines.push(`<text x="${x0 + WIDTH - MARGIN.right}" y="${y0 + MARGIN.top + 4 + index * 12}" font-size="10" text-anchor="end" fill="${series.colour}">${escapeXml(series.label)}</text>`)
    })
  }
  return lines
}

/**
 * The growth curve as a hand-written SVG: one small panel per figure against the corpus size,
 * with the issue's goal for the largest corpus dashed. Plain shapes and text, no script.
 */
export function growthChartSvg(points: GrowthChartPoint[], caption: string): string {
  const values = (pick: (point: GrowthChartPoint) => number | undefined) => points.map(pick)
  const panels: Panel[] = [
    {
      title: 'Ingest time',
      unit: 's',
      series: [
        { label: 'wall', values: values((point) => point.ingestSeconds), colour: BLUE },
        { label: 'CPU', values: values((point) => point.ingestCpuSeconds), colour: ORANGE },
      ],
      goal: 20,
    },
    { title: 'Ingest peak memory', unit: 'MB', series: [{ label: 'peak RSS', values: values((point) => point.ingestPeakMegabytes), colour: BLUE }], goal: 600 },
    { title: 'Index on disk', unit: 'MB', series: [{ label: 'index', values: values((point) => point.indexMegabytes), colour: BLUE }], goal: 30 },
    { title: 'Start from saved index', unit: 's', series: [{ label: 'start', values: values((point) => point.startSeconds), colour: BLUE }], goal: 1.5 },
    { title: 'Server memory', unit: 'MB', series: [{ label: 'RSS', values: values((point) => point.serverMegabytes), colour: BLUE }], goal: 400 },
    {
      title: '/ask latency',
      unit: 'ms',
      series: [
        { label: 'p95', values: values((point) => point.askP95Ms), colour: ORANGE },
        { label: 'p50', values: values((point) => point.askP50Ms), colour: BLUE },
      ],
      goal: 15,
      goalLabel: 'p95 goal 15',
    },
  ]
  const rows = Math.ceil(panels.length / COLUMNS)
  const width = COLUMNS * WIDTH
  const height = rows * HEIGHT + 24
  const body = panels.flatMap((panel, index) => drawPanel(panel, points, (index % COLUMNS) * WIDTH, Math.floor(index / COLUMNS) * HEIGHT))
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" role="img" aria-label="${escapeXml(caption)}">`,
    `<title>${escapeXml(caption)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    `<text x="8" y="${height - 8}" font-size="10" fill="${MUTED}">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n')
}

/** The chart of a bench run's measured growth points, captioned with the machine it ran on. */
export function growthChartOfResult(result: BenchResult): string {
  const { machine } = result
  const megabytes = (bytes?: number) => (bytes === undefined ? undefined : bytes / 1e6)
  const points = result.growth.points
    .filter((point) => !point.skipped)
    .map((point) => ({
      multiple: point.multiple,
      characters: point.characters,
      ingestSeconds: point.ingestMs === undefined ? undefined : point.ingestMs / 1000,
      ingestCpuSeconds: point.ingestCpuMs === undefined ? undefined : point.ingestCpuMs / 1000,
      ingestPeakMegabytes: megabytes(point.ingestPeakBytes),
      indexMegabytes: megabytes(point.indexBytes),
      startSeconds: point.startMs === undefined ? undefined : point.startMs / 1000,
      serverMegabytes: megabytes(point.serverBytes),
      askP50Ms: point.load?.p50Ms,
      askP95Ms: point.load?.p95Ms,
    }))
  const load = `load average ${machine.loadAverage.before.toFixed(1)}–${machine.loadAverage.after.toFixed(1)}`
  return growthChartSvg(points, `npm run bench: growth with the corpus (${machine.embedder}, ${machine.cpus} CPUs, ${load}, Node ${machine.node}); dashed: the goal at 8×`)
}
