//! Numbers in Russian words, for the binding certificate («… 123 (сто двадцать
//! три) листа»): a count written in words cannot be altered unnoticed.

const UNITS: [&str; 20] = [
    "ноль",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const TENS: [&str; 10] =
    ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"];
const HUNDREDS: [&str; 10] =
    ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"];

/// `n` (0..1 000 000) in words, masculine («один», «два»): листов.
pub fn in_words(n: u32) -> String {
    if n == 0 {
        return UNITS[0].to_owned();
    }
    let mut words: Vec<&str> = Vec::new();
    let thousands = n / 1000;
    if thousands > 0 {
        words.extend(below_thousand(thousands, true));
        words.push(plural(thousands, "тысяча", "тысячи", "тысяч"));
    }
    words.extend(below_thousand(n % 1000, false));
    words.join(" ")
}

fn below_thousand(n: u32, feminine: bool) -> Vec<&'static str> {
    let mut words = Vec::new();
    if n >= 100 {
        words.push(HUNDREDS[(n / 100) as usize]);
    }
    let rest = n % 100;
    if rest >= 20 {
        words.push(TENS[(rest / 10) as usize]);
        if !rest.is_multiple_of(10) {
            words.push(unit(rest % 10, feminine));
        }
    } else if rest > 0 {
        words.push(unit(rest, feminine));
    }
    words
}

fn unit(n: u32, feminine: bool) -> &'static str {
    match (n, feminine) {
        (1, true) => "одна",
        (2, true) => "две",
        _ => UNITS[n as usize],
    }
}

/// The noun form for `n`: 1 лист, 2 листа, 5 листов, 21 лист, 11 листов.
pub fn plural<'a>(n: u32, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (last, last_two) = (n % 10, n % 100);
    if (11..=14).contains(&last_two) {
        many
    } else if last == 1 {
        one
    } else if (2..=4).contains(&last) {
        few
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_written_by_hand() {
        assert_eq!(in_words(1), "один");
        assert_eq!(in_words(12), "двенадцать");
        assert_eq!(in_words(21), "двадцать один");
        assert_eq!(in_words(100), "сто");
        assert_eq!(in_words(123), "сто двадцать три");
        assert_eq!(in_words(240), "двести сорок");
        assert_eq!(in_words(1002), "одна тысяча два");
        assert_eq!(in_words(2311), "две тысячи триста одиннадцать");
        assert_eq!(plural(1, "лист", "листа", "листов"), "лист");
        assert_eq!(plural(3, "лист", "листа", "листов"), "листа");
        assert_eq!(plural(11, "лист", "листа", "листов"), "листов");
        assert_eq!(plural(112, "лист", "листа", "листов"), "листов");
        assert_eq!(plural(121, "лист", "листа", "листов"), "лист");
        assert_eq!(plural(125, "лист", "листа", "листов"), "листов");
    }
}
