/** The CUPS command lines the Linux printer runs, and what it reads from their output. */

/** `lp` with the job's data on standard input (no file on disk), titled with the file name. */
export function lpArgs(queue: string, title: string): string[] {
  return ['-d', queue, '-t', title];
}

/** The queue named by `lpstat -d` ("system default destination: NAME"), if any. */
export function parseDefaultQueue(lpstatD: string): string | undefined {
  return /system default destination:\s*(\S+)/.exec(lpstatD)?.[1];
}

/** The job id from lp's "request id is QUEUE-12 (0 file(s))". */
export function parseJobId(lpOut: string): string | undefined {
  return /request id is (\S+)/.exec(lpOut)?.[1];
}
