// Times are µs since the Unix epoch (DESIGN.md "Payloads"); PostgreSQL timestamptz has µs
// resolution, so both directions are exact. Text, not Date: a Date holds only milliseconds.

/** µs since epoch → ISO 8601 text with 6 fractional digits, e.g. 2024-05-01T12:00:00.000001Z. */
export function usToTimestamp (us: number): string {
  const ms = Math.floor(us / 1000)
  const micro = us - ms * 1000
  const iso = new Date(ms).toISOString() // yyyy-mm-ddThh:mm:ss.mmmZ
  return iso.slice(0, -1) + String(micro).padStart(3, '0') + 'Z'
}

/** SQL expression turning a timestamptz column into µs since epoch as bigint (exact: extract returns numeric). */
export const sqlUs = (column: string): string => `(extract(epoch from ${column}) * 1000000)::bigint`
