//! Cell values as the import understands them. Dates come three ways (see
//! docs/research §3): a real date cell; a bare serial number in a date
//! column (counted from 1899-12-30, or from 1904-01-01 in old Mac files);
//! or text «ДД.ММ.ГГГГ» typed in a Russian locale. Everything else is text.

use calamine::Data;
use chrono::{Datelike, NaiveDate};

/// The cell as trimmed text with inner spaces collapsed; `None` when empty.
pub fn text(cell: &Data) -> Option<String> {
    let raw = match cell {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        // Numbers typed as numbers («5», «12») read back without «.0».
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => if *b { "да" } else { "нет" }.to_owned(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => dt.date().format("%d.%m.%Y").to_string(),
            None => d.as_f64().to_string(),
        },
    };
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!collapsed.is_empty()).then_some(collapsed)
}

/// A number cell or number typed as text («1,5» with a Russian comma too).
pub fn number(cell: &Data) -> Result<Option<f64>, String> {
    match cell {
        Data::Int(n) => Ok(Some(*n as f64)),
        Data::Float(x) => Ok(Some(*x)),
        other => match text(other) {
            None => Ok(None),
            Some(t) => t
                .replace(',', ".")
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("«{t}» — не число: укажите число, например 2 или 1,5")),
        },
    }
}

/// A date from any of the three forms; the error says how to write it.
pub fn date(cell: &Data, is_1904: bool) -> Result<Option<NaiveDate>, String> {
    match cell {
        Data::Empty => Ok(None),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| Some(dt.date()))
            .ok_or_else(|| "в ячейке дата, которую не удалось прочитать: введите её заново как ДД.ММ.ГГГГ".into()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Some)
            .ok_or_else(|| format!("«{s}» — не дата: укажите дату как ДД.ММ.ГГГГ")),
        Data::Int(n) => serial(*n as f64, is_1904).map(Some),
        Data::Float(x) => serial(*x, is_1904).map(Some),
        other => match text(other) {
            None => Ok(None),
            Some(t) => date_text(&t).map(Some),
        },
    }
}

/// An Excel serial day number. Excel counts 1900 as a leap year, so serials
/// from 61 on are days since 1899-12-30; below that, since 1899-12-31.
fn serial(value: f64, is_1904: bool) -> Result<NaiveDate, String> {
    let days = value.floor() as i64;
    let start = match (is_1904, days) {
        (true, _) => NaiveDate::from_ymd_opt(1904, 1, 1),
        (false, 0..=60) => NaiveDate::from_ymd_opt(1899, 12, 31),
        (false, _) => NaiveDate::from_ymd_opt(1899, 12, 30),
    };
    let date = start
        .and_then(|s| s.checked_add_signed(chrono::Duration::days(days)))
        .filter(|d| (1900..=2100).contains(&d.year()) && days > 0);
    date.ok_or_else(|| format!("число {value} не похоже на дату: укажите дату как ДД.ММ.ГГГГ, например 01.09.2014"))
}

/// «01.09.2014», «1.9.2014», «01/09/2014», «01-09-2014» or «2014-09-01».
fn date_text(text: &str) -> Result<NaiveDate, String> {
    let how = "укажите дату как ДД.ММ.ГГГГ, например 01.09.2014";
    let parts: Vec<&str> = text.split(['.', '/', '-']).map(str::trim).collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    let (day, month, year) = match (numbers.as_deref(), parts.first().map(|p| p.len())) {
        (Some([y, m, d]), Some(4)) => (*d, *m, *y),
        (Some([d, m, y]), _) if parts[2].len() == 4 => (*d, *m, *y),
        (Some([_, _, y]), _) if *y < 100 => {
            return Err(format!("в дате «{text}» год из двух цифр: напишите год полностью, {how}"));
        }
        _ => return Err(format!("«{text}» — не дата: {how}")),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("в дате «{text}» нет месяца с номером {month}: {how}"));
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| format!("даты «{text}» не бывает: в этом месяце нет {day}-го числа — проверьте день и месяц"))
}

/// A name or header for comparing: lower case, «ё» as «е», spaces collapsed.
pub fn name_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ё', "е")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn serials_in_both_date_systems() {
        assert_eq!(serial(41710.0, false), Ok(d(2014, 3, 12)));
        assert_eq!(serial(40248.0, true), Ok(d(2014, 3, 12)));
        assert_eq!(serial(1.0, false), Ok(d(1900, 1, 1)));
        assert!(serial(-3.0, false).is_err());
    }

    #[test]
    fn dates_typed_as_text() {
        assert_eq!(date_text("12.03.2014"), Ok(d(2014, 3, 12)));
        assert_eq!(date_text("1.9.2014"), Ok(d(2014, 9, 1)));
        assert_eq!(date_text("2014-03-12"), Ok(d(2014, 3, 12)));
        assert_eq!(
            date_text("31.02.2014").unwrap_err(),
            "даты «31.02.2014» не бывает: в этом месяце нет 31-го числа — проверьте день и месяц"
        );
        assert!(date_text("12.03.14").unwrap_err().contains("год из двух цифр"));
        assert!(date_text("весной").unwrap_err().starts_with("«весной» — не дата"));
    }
}
