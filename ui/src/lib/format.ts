// Russian formats the paper journal uses.

/** «2026-05-26» → «26.05». */
export function dayMonth(date: string): string {
  const [, m, d] = date.split("-");
  return `${d}.${m}`;
}

/** «2026-05-26» → «26.05.2026». */
export function fullDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d}.${m}.${y}`;
}

/** 3.67 → «3,67». */
export function decimal(value: number | null): string {
  return value === null ? "" : value.toFixed(2).replace(".", ",");
}

/** Whole minutes and seconds in words, for the lock notice. */
export function duration(seconds: number): string {
  if (seconds % 60 === 0) {
    const m = seconds / 60;
    return `${m} ${plural(m, "минуту", "минуты", "минут")}`;
  }
  return `${seconds} ${plural(seconds, "секунду", "секунды", "секунд")}`;
}

export function plural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}

let schoolOffsetMinutes = 180;

/** The school's time zone (from the journal's settings), set once the journal is open. */
export function setSchoolOffset(minutes: number) {
  schoolOffsetMinutes = minutes;
}

/** «2026-05-26T08:00» on the school's clock → RFC 3339 with the school's offset. */
export function schoolTime(local: string): string {
  const m = Math.abs(schoolOffsetMinutes);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${local}:00${schoolOffsetMinutes < 0 ? "-" : "+"}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/** An RFC 3339 time → «26.05.2026 10:14» on the school's clock (not the PC's time zone). */
export function dateTime(rfc3339: string): string {
  const t = new Date(Date.parse(rfc3339) + schoolOffsetMinutes * 60_000);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(t.getUTCDate())}.${two(t.getUTCMonth() + 1)}.${t.getUTCFullYear()} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}`;
}
