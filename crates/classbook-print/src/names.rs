//! A person's full name in the genitive case, as a letter addresses the
//! parents «ученика Иванова Ивана Петровича». The common Russian patterns
//! only: a name the rules do not know is left as it is, which reads as a
//! foreign (undeclined) name rather than as a wrong ending.

/// «Иванов Иван Петрович» → «Иванова Ивана Петровича»; `female` picks the
/// feminine endings («Иванова Мария Петровна» → «Ивановой Марии Петровны»).
pub fn genitive(full_name: &str, female: bool) -> String {
    let parts: Vec<&str> = full_name.split_whitespace().collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| match (i, female) {
            (0, false) => male_surname(part),
            (0, true) => female_surname(part),
            (1, false) => male_first_name(part),
            (1, true) => female_first_name(part),
            (_, false) => male_patronymic(part),
            (_, true) => female_patronymic(part),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Is the person female by their card («ж»/«м»), else by the patronymic?
/// None when neither says.
pub fn is_female(gender: Option<&str>, full_name: &str) -> Option<bool> {
    match gender.map(|g| g.trim().to_lowercase()) {
        Some(g) if g.starts_with('ж') => return Some(true),
        Some(g) if g.starts_with('м') => return Some(false),
        _ => {}
    }
    let patronymic = full_name.split_whitespace().nth(2)?;
    if patronymic.ends_with("на") {
        Some(true)
    } else if patronymic.ends_with("ич") {
        Some(false)
    } else {
        None
    }
}

/// After г, к, х and the hushing consonants «ы» is written «и».
fn a_ending(stem: &str) -> &'static str {
    match stem.chars().last() {
        Some('г' | 'к' | 'х' | 'ж' | 'ч' | 'ш' | 'щ') => "и",
        _ => "ы",
    }
}

fn strip<'a>(word: &'a str, ending: &str) -> Option<&'a str> {
    word.strip_suffix(ending)
}

fn male_surname(word: &str) -> String {
    for ending in ["ов", "ев", "ёв", "ин", "ын"] {
        if word.ends_with(ending) {
            return format!("{word}а");
        }
    }
    for ending in ["ий", "ый", "ой"] {
        if let Some(stem) = strip(word, ending) {
            return format!("{stem}ого");
        }
    }
    // «Черных», «Шевченко», «Гюго», «Дюма»-like and foreign vowel endings stay.
    for ending in ["ых", "их", "о", "е", "и", "у", "ю", "э"] {
        if word.ends_with(ending) {
            return word.to_owned();
        }
    }
    male_noun(word)
}

/// A man's name declined as a noun: «Никита» → «Никиты», «Илья» → «Ильи»,
/// «Игорь» → «Игоря», «Андрей» → «Андрея», «Иван» → «Ивана».
fn male_noun(word: &str) -> String {
    if let Some(stem) = strip(word, "а") {
        return format!("{stem}{}", a_ending(stem));
    }
    if let Some(stem) = strip(word, "я") {
        return format!("{stem}и");
    }
    if let Some(stem) = strip(word, "ь").or_else(|| strip(word, "й")) {
        return format!("{stem}я");
    }
    if word.chars().last().is_some_and(is_consonant) {
        return format!("{word}а");
    }
    word.to_owned()
}

fn female_surname(word: &str) -> String {
    for ending in ["ова", "ева", "ёва", "ина", "ына"] {
        if word.ends_with(ending) {
            return format!("{}ой", &word[..word.len() - "а".len()]);
        }
    }
    if let Some(stem) = strip(word, "ая") {
        return format!("{stem}ой");
    }
    if let Some(stem) = strip(word, "а") {
        return format!("{stem}{}", a_ending(stem));
    }
    // «Шевчук», «Черных», «Гусь»: a woman's consonant surname stays.
    word.to_owned()
}

fn male_first_name(word: &str) -> String {
    match word {
        "Лев" => return "Льва".to_owned(),
        "Павел" => return "Павла".to_owned(),
        "Пётр" | "Петр" => return "Петра".to_owned(),
        _ => {}
    }
    male_noun(word)
}

fn female_first_name(word: &str) -> String {
    if let Some(stem) = strip(word, "ия") {
        return format!("{stem}ии");
    }
    if let Some(stem) = strip(word, "а") {
        return format!("{stem}{}", a_ending(stem));
    }
    if let Some(stem) = strip(word, "я") {
        return format!("{stem}и");
    }
    if let Some(stem) = strip(word, "ь") {
        return format!("{stem}и");
    }
    word.to_owned()
}

fn male_patronymic(word: &str) -> String {
    if word.ends_with("ич") { format!("{word}а") } else { word.to_owned() }
}

fn female_patronymic(word: &str) -> String {
    match strip(word, "на") {
        Some(stem) => format!("{stem}ны"),
        None => word.to_owned(),
    }
}

fn is_consonant(c: char) -> bool {
    "бвгджзклмнпрстфхцчшщ".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_take_the_genitive() {
        for (name, female, expected) in [
            ("Иванов Иван Петрович", false, "Иванова Ивана Петровича"),
            ("Котова Валерия Андреевна", true, "Котовой Валерии Андреевны"),
            ("Смирнова Ольга Игоревна", true, "Смирновой Ольги Игоревны"),
            ("Невский Андрей Ильич", false, "Невского Андрея Ильича"),
            ("Невская Софья Львовна", true, "Невской Софьи Львовны"),
            ("Толстой Лев Николаевич", false, "Толстого Льва Николаевича"),
            ("Черных Никита Павлович", false, "Черных Никиты Павловича"),
            ("Шевчук Анна Олеговна", true, "Шевчук Анны Олеговны"),
            ("Шевчук Игорь Олегович", false, "Шевчука Игоря Олеговича"),
            ("Кузьмин Илья Сергеевич", false, "Кузьмина Ильи Сергеевича"),
            ("Гоголь Николай Васильевич", false, "Гоголя Николая Васильевича"),
            ("Лазарева Любовь", true, "Лазаревой Любови"),
            ("Шевченко Пётр", false, "Шевченко Петра"),
        ] {
            assert_eq!(genitive(name, female), expected, "{name}");
        }
    }

    #[test]
    fn gender_comes_from_the_card_or_the_patronymic() {
        assert_eq!(is_female(Some("ж"), "Иванов Иван"), Some(true));
        assert_eq!(is_female(None, "Котова Валерия Андреевна"), Some(true));
        assert_eq!(is_female(None, "Иванов Иван Петрович"), Some(false));
        assert_eq!(is_female(None, "Данилов Егор"), None);
    }
}
