import type { ServerResponse } from 'node:http'
import { DOCS } from './http.ts'
import type { FaultAction, FaultPlan, RecordedRequest } from './types.ts'

function normaliseFault(fault: FaultPlan['fault']): FaultAction {
  if (fault === 'reset') return { reset: true }
  if (fault === 'truncate') return { truncate: true }
  return fault
}

/** Whether a plan's route names this request (upload plans may leave out the `/uploads` prefix). */
function planMatches(
  wanted: FaultPlan['route'],
  method: string,
  template: string | undefined,
  pathname: string,
): boolean {
  if (typeof wanted !== 'string') return wanted.test(`${method} ${pathname}`)
  return (
    template !== undefined &&
    (wanted === `${method} ${template}` ||
      wanted === template ||
      wanted === `${method} ${template.replace(/^\/uploads/, '')}`)
  )
}

/** The faults tests planned, each fired once on its ordinal of matching requests. */
export class FaultBook {
  private readonly entries: { plan: FaultPlan; seen: number; done: boolean }[] = []

  inject(plan: FaultPlan): void {
    this.entries.push({ plan, seen: 0, done: false })
  }

  take(method: string, template: string | undefined, pathname: string): FaultAction | undefined {
    let chosen: FaultAction | undefined
    for (const entry of this.entries) {
      if (entry.done || entry.plan.method.toUpperCase() !== method) continue
      if (!planMatches(entry.plan.route, method, template, pathname)) continue
      // Every plan counts every matching request, so ordinals of several plans line up.
      entry.seen++
      if (!chosen && entry.seen === (entry.plan.ordinal ?? 1)) {
        entry.done = true
        chosen = normaliseFault(entry.plan.fault)
      }
    }
    return chosen
  }
}

/** What GitHub sends with these statuses when a fault plan gives no body. */
const DEFAULT_FAULT_BODIES: Record<number, unknown> = {
  403: {
    message:
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentation_url: DOCS,
  },
  429: { message: 'Too Many Requests', documentation_url: DOCS },
}

/** Answers with the fault instead of the handler's reply (`delayMs` faults never get here). */
export function sendFault(res: ServerResponse, fault: FaultAction, record: RecordedRequest): void {
  record.faulted = true
  if ('reset' in fault) {
    record.status = 0
    res.socket?.destroy()
    return
  }
  if ('truncate' in fault) {
    record.status = 200
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': '4096',
    })
    res.write('{"id": 1, "truncat')
    setTimeout(() => res.socket?.destroy(), 5)
    return
  }
  if ('status' in fault) {
    record.status = fault.status
    const payload = fault.body ?? DEFAULT_FAULT_BODIES[fault.status] ?? { message: 'Server Error' }
    const text = JSON.stringify(payload)
    res.writeHead(fault.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...(fault.status === 403 || fault.status === 429 ? { 'retry-after': '1' } : {}),
      ...fault.headers,
    })
    res.end(text)
  }
}
