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
