//! Russian names for the demo school: surnames (in the masculine form, the
//! feminine one follows the grammar), first names with the patronymics they
//! give, and the small helpers around them (transliterated logins, phones,
//! e-mails). Names carry an «era» so that children get the names children
//! are given today and their parents and teachers the names of their years.

use crate::translit::translit;
use rand::Rng;
use rand::seq::IndexedRandom;

/// Who a name fits: adults (born 1960–1995), children (born 2008–2019) or both.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Era {
    Adult,
    Child,
    Both,
}

use Era::{Adult as A, Both as B, Child as C};

/// Surnames in the masculine form; `feminine` gives the feminine one.
pub(super) const SURNAMES: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Мартынов",
    "Ефимов",
    "Федотов",
    "Щербаков",
    "Назаров",
    "Калинин",
    "Исаев",
    "Чернышёв",
    "Быков",
    "Маслов",
    "Родионов",
    "Коновалов",
    "Лазарев",
    "Воронин",
    "Климов",
    "Филатов",
    "Пономарёв",
    "Голубев",
    "Кудрявцев",
    "Прохоров",
    "Наумов",
    "Потапов",
    "Журавлёв",
    "Овчинников",
    "Трофимов",
    "Леонов",
    "Соболев",
    "Ермаков",
    "Колесников",
    "Гончаров",
    "Емельянов",
    "Никифоров",
    "Грачёв",
    "Котов",
    "Гришин",
    "Ефремов",
    "Архипов",
    "Громов",
    "Кириллов",
    "Малышев",
    "Панов",
    "Моисеев",
    "Румянцев",
    "Акимов",
    "Кондратьев",
    "Бирюков",
    "Горбунов",
    "Анисимов",
    "Ерёмин",
    "Тихомиров",
    "Галкин",
    "Лукьянов",
    "Михеев",
    "Скворцов",
    "Юдин",
    "Белоусов",
    "Нестеров",
    "Симонов",
    "Прокофьев",
    "Харитонов",
    "Князев",
    "Цветков",
    "Левин",
    "Митрофанов",
    "Воронцов",
    "Фадеев",
    "Шестаков",
    "Субботин",
    "Ершов",
    "Зимин",
    "Птицын",
    "Синицын",
    "Гордеев",
    "Ахмедов",
    "Гасанов",
    "Алиев",
    "Сафин",
    "Хабибуллин",
    "Галиев",
    "Мухаметов",
    "Покровский",
    "Вишневский",
    "Высоцкий",
    "Белецкий",
    "Успенский",
    "Яблонский",
    "Добровольский",
    "Троицкий",
    "Рождественский",
    "Заречный",
    "Береговой",
    "Луговой",
    "Шевченко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Коваленко",
    "Марченко",
    "Савченко",
    "Литвиненко",
    "Черных",
    "Седых",
    "Белых",
    "Долгих",
    "Ковальчук",
    "Мельничук",
    "Полищук",
];

/// Male first names with the patronymics they give (son's, daughter's).
pub(super) const MALE_NAMES: &[(&str, &str, &str, Era)] = &[
    ("Александр", "Александрович", "Александровна", B),
    ("Алексей", "Алексеевич", "Алексеевна", B),
    ("Анатолий", "Анатольевич", "Анатольевна", A),
    ("Андрей", "Андреевич", "Андреевна", B),
    ("Антон", "Антонович", "Антоновна", B),
    ("Аркадий", "Аркадьевич", "Аркадьевна", A),
    ("Арсений", "Арсеньевич", "Арсеньевна", C),
    ("Артём", "Артёмович", "Артёмовна", B),
    ("Артемий", "Артемьевич", "Артемьевна", C),
    ("Артур", "Артурович", "Артуровна", B),
    ("Айдар", "Айдарович", "Айдаровна", B),
    ("Алан", "Аланович", "Алановна", C),
    ("Альберт", "Альбертович", "Альбертовна", A),
    ("Амир", "Амирович", "Амировна", C),
    ("Богдан", "Богданович", "Богдановна", C),
    ("Борис", "Борисович", "Борисовна", A),
    ("Вадим", "Вадимович", "Вадимовна", A),
    ("Валентин", "Валентинович", "Валентиновна", A),
    ("Валерий", "Валерьевич", "Валерьевна", A),
    ("Василий", "Васильевич", "Васильевна", B),
    ("Вениамин", "Вениаминович", "Вениаминовна", A),
    ("Виктор", "Викторович", "Викторовна", A),
    ("Виталий", "Витальевич", "Витальевна", A),
    ("Владимир", "Владимирович", "Владимировна", B),
    ("Владислав", "Владиславович", "Владиславовна", B),
    ("Всеволод", "Всеволодович", "Всеволодовна", C),
    ("Вячеслав", "Вячеславович", "Вячеславовна", A),
    ("Геннадий", "Геннадьевич", "Геннадьевна", A),
    ("Георгий", "Георгиевич", "Георгиевна", B),
    ("Герман", "Германович", "Германовна", B),
    ("Глеб", "Глебович", "Глебовна", C),
    ("Гордей", "Гордеевич", "Гордеевна", C),
    ("Григорий", "Григорьевич", "Григорьевна", B),
    ("Давид", "Давидович", "Давидовна", C),
    ("Дамир", "Дамирович", "Дамировна", B),
    ("Даниил", "Даниилович", "Данииловна", C),
    ("Демид", "Демидович", "Демидовна", C),
    ("Денис", "Денисович", "Денисовна", B),
    ("Дмитрий", "Дмитриевич", "Дмитриевна", B),
    ("Евгений", "Евгеньевич", "Евгеньевна", B),
    ("Егор", "Егорович", "Егоровна", B),
    ("Елисей", "Елисеевич", "Елисеевна", C),
    ("Емельян", "Емельянович", "Емельяновна", C),
    ("Ефим", "Ефимович", "Ефимовна", A),
    ("Захар", "Захарович", "Захаровна", C),
    ("Иван", "Иванович", "Ивановна", B),
    ("Игнат", "Игнатович", "Игнатовна", C),
    ("Игорь", "Игоревич", "Игоревна", A),
    ("Ильдар", "Ильдарович", "Ильдаровна", A),
    ("Илья", "Ильич", "Ильинична", B),
    ("Кирилл", "Кириллович", "Кирилловна", B),
    ("Константин", "Константинович", "Константиновна", B),
    ("Кузьма", "Кузьмич", "Кузьминична", C),
    ("Лев", "Львович", "Львовна", C),
    ("Леонид", "Леонидович", "Леонидовна", A),
    ("Лука", "Лукич", "Лукинична", C),
    ("Макар", "Макарович", "Макаровна", C),
    ("Максим", "Максимович", "Максимовна", B),
    ("Марат", "Маратович", "Маратовна", B),
    ("Марк", "Маркович", "Марковна", C),
    ("Матвей", "Матвеевич", "Матвеевна", C),
    ("Мирон", "Миронович", "Мироновна", C),
    ("Мирослав", "Мирославович", "Мирославовна", C),
    ("Михаил", "Михайлович", "Михайловна", B),
    ("Назар", "Назарович", "Назаровна", C),
    ("Никита", "Никитич", "Никитична", B),
    ("Николай", "Николаевич", "Николаевна", B),
    ("Олег", "Олегович", "Олеговна", A),
    ("Павел", "Павлович", "Павловна", B),
    ("Пётр", "Петрович", "Петровна", B),
    ("Платон", "Платонович", "Платоновна", C),
    ("Прохор", "Прохорович", "Прохоровна", C),
    ("Ринат", "Ринатович", "Ринатовна", A),
    ("Роберт", "Робертович", "Робертовна", A),
    ("Родион", "Родионович", "Родионовна", C),
    ("Роман", "Романович", "Романовна", B),
    ("Ростислав", "Ростиславович", "Ростиславовна", C),
    ("Руслан", "Русланович", "Руслановна", B),
    ("Рустам", "Рустамович", "Рустамовна", B),
    ("Савва", "Саввич", "Саввична", C),
    ("Савелий", "Савельевич", "Савельевна", C),
    ("Святослав", "Святославович", "Святославовна", C),
    ("Семён", "Семёнович", "Семёновна", B),
    ("Сергей", "Сергеевич", "Сергеевна", A),
    ("Станислав", "Станиславович", "Станиславовна", A),
    ("Степан", "Степанович", "Степановна", C),
    ("Тарас", "Тарасович", "Тарасовна", A),
    ("Тимофей", "Тимофеевич", "Тимофеевна", C),
    ("Тимур", "Тимурович", "Тимуровна", B),
    ("Тихон", "Тихонович", "Тихоновна", C),
    ("Трофим", "Трофимович", "Трофимовна", C),
    ("Фёдор", "Фёдорович", "Фёдоровна", B),
    ("Феликс", "Феликсович", "Феликсовна", A),
    ("Филипп", "Филиппович", "Филипповна", C),
    ("Эдуард", "Эдуардович", "Эдуардовна", A),
    ("Эльдар", "Эльдарович", "Эльдаровна", B),
    ("Эмиль", "Эмильевич", "Эмильевна", C),
    ("Эрик", "Эрикович", "Эриковна", C),
    ("Юрий", "Юрьевич", "Юрьевна", A),
    ("Яков", "Яковлевич", "Яковлевна", B),
    ("Ян", "Янович", "Яновна", C),
    ("Ярослав", "Ярославович", "Ярославовна", C),
    ("Леон", "Леонович", "Леоновна", C),
];

/// Female first names.
pub(super) const FEMALE_NAMES: &[(&str, Era)] = &[
    ("Анастасия", B),
    ("Анна", B),
    ("Мария", B),
    ("Елена", A),
    ("Ольга", A),
    ("Наталья", A),
    ("Татьяна", A),
    ("Ирина", A),
    ("Светлана", A),
    ("Екатерина", B),
    ("Юлия", B),
    ("Марина", A),
    ("Людмила", A),
    ("Галина", A),
    ("Надежда", A),
    ("Валентина", A),
    ("Любовь", A),
    ("Вера", B),
    ("Лариса", A),
    ("Оксана", A),
    ("Алла", A),
    ("Нина", A),
    ("Тамара", A),
    ("Жанна", A),
    ("Инна", A),
    ("Лилия", B),
    ("Виктория", B),
    ("Дарья", B),
    ("Полина", B),
    ("Алиса", C),
    ("София", C),
    ("Софья", C),
    ("Ксения", B),
    ("Александра", B),
    ("Елизавета", C),
    ("Варвара", C),
    ("Вероника", B),
    ("Арина", C),
    ("Ульяна", C),
    ("Милана", C),
    ("Ева", C),
    ("Василиса", C),
    ("Таисия", C),
    ("Алёна", B),
    ("Кристина", B),
    ("Валерия", B),
    ("Диана", B),
    ("Маргарита", B),
    ("Ангелина", C),
    ("Анжелика", A),
    ("Евгения", B),
    ("Зоя", B),
    ("Олеся", A),
    ("Яна", B),
    ("Алина", B),
    ("Карина", B),
    ("Эвелина", C),
    ("Злата", C),
    ("Кира", C),
    ("Есения", C),
    ("Мирослава", C),
    ("Ярослава", C),
    ("Стефания", C),
    ("Агата", C),
    ("Майя", C),
    ("Амелия", C),
    ("Николь", C),
    ("Мелания", C),
    ("Дарина", C),
    ("Аделина", C),
    ("Ника", C),
    ("Регина", B),
    ("Снежана", B),
    ("Эльвира", A),
    ("Элина", B),
    ("Камила", C),
    ("Римма", A),
    ("Раиса", A),
    ("Зинаида", A),
    ("Антонина", A),
    ("Лидия", A),
    ("Алевтина", A),
    ("Нелли", A),
    ("Эльмира", A),
    ("Гульнара", A),
    ("Дина", B),
    ("Анфиса", C),
    ("Серафима", C),
    ("Мирра", C),
    ("Богдана", C),
    ("Владислава", C),
    ("Пелагея", C),
    ("Марьяна", C),
    ("Юлиана", C),
    ("Ариана", C),
    ("Сабина", C),
    ("Оливия", C),
    ("Эмилия", C),
    ("Нонна", A),
    ("Наталия", A),
    ("Виолетта", B),
    ("Фаина", A),
    ("Инга", A),
    ("Милена", C),
    ("Лиана", B),
];

/// The feminine form of a masculine surname: Иванов → Иванова,
/// Покровский → Покровская, Береговой → Береговая; Шевченко, Черных and
/// Ковальчук do not change.
pub(super) fn feminine(surname: &str) -> String {
    for ending in ["ов", "ев", "ёв", "ин", "ын"] {
        if surname.ends_with(ending) {
            return format!("{surname}а");
        }
    }
    for ending in ["ий", "ой", "ый"] {
        if let Some(stem) = surname.strip_suffix(ending) {
            return format!("{stem}ая");
        }
    }
    surname.to_string()
}

/// A person's full name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Person {
    pub surname: String,
    pub first_name: String,
    pub patronymic: String,
    pub male: bool,
}

impl Person {
    /// «Иванова Мария Александровна».
    pub fn full(&self) -> String {
        format!("{} {} {}", self.surname, self.first_name, self.patronymic)
    }

    /// A login in the usual school style: «ivanova.ma».
    pub fn login(&self) -> String {
        let first = |s: &str| translit(&s.chars().next().map(String::from).unwrap_or_default()).chars().next();
        let mut login = translit(&self.surname).to_lowercase();
        login.push('.');
        login.extend(first(&self.first_name).map(|c| c.to_ascii_lowercase()));
        login.extend(first(&self.patronymic).map(|c| c.to_ascii_lowercase()));
        login
    }
}

/// Picks names for people of an era.
pub(super) struct NamePicker {
    child_male: Vec<usize>,
    adult_male: Vec<usize>,
    child_female: Vec<usize>,
    adult_female: Vec<usize>,
}

impl NamePicker {
    pub fn new() -> NamePicker {
        let males = |adult: bool| {
            (0..MALE_NAMES.len()).filter(|&i| MALE_NAMES[i].3 == B || (MALE_NAMES[i].3 == A) == adult).collect()
        };
        let females = |adult: bool| {
            (0..FEMALE_NAMES.len()).filter(|&i| FEMALE_NAMES[i].1 == B || (FEMALE_NAMES[i].1 == A) == adult).collect()
        };
        NamePicker {
            child_male: males(false),
            adult_male: males(true),
            child_female: females(false),
            adult_female: females(true),
        }
    }

    /// An index into `MALE_NAMES`.
    pub fn male(&self, rng: &mut impl Rng, adult: bool) -> usize {
        *if adult { &self.adult_male } else { &self.child_male }.choose(rng).expect("names")
    }

    /// An index into `FEMALE_NAMES`.
    pub fn female(&self, rng: &mut impl Rng, adult: bool) -> usize {
        *if adult { &self.adult_female } else { &self.child_female }.choose(rng).expect("names")
    }

    pub fn surname(&self, rng: &mut impl Rng) -> &'static str {
        SURNAMES.choose(rng).expect("surnames")
    }

    /// A person with a surname in masculine form `surname`, whose father is
    /// called `MALE_NAMES[father]`.
    pub fn person(&self, rng: &mut impl Rng, surname: &str, father: usize, male: bool, adult: bool) -> Person {
        let (_, son, daughter, _) = MALE_NAMES[father];
        if male {
            Person {
                surname: surname.to_string(),
                first_name: MALE_NAMES[self.male(rng, adult)].0.to_string(),
                patronymic: son.to_string(),
                male,
            }
        } else {
            Person {
                surname: feminine(surname),
                first_name: FEMALE_NAMES[self.female(rng, adult)].0.to_string(),
                patronymic: daughter.to_string(),
                male,
            }
        }
    }

    /// An adult with a random surname and father.
    pub fn adult(&self, rng: &mut impl Rng, male: bool) -> Person {
        let surname = self.surname(rng);
        let father = self.male(rng, true);
        self.person(rng, surname, father, male, true)
    }
}

/// A Russian mobile number: «+7 (916) 123-45-67».
pub(super) fn phone(rng: &mut impl Rng) -> String {
    let code = [900, 902, 904, 908, 912, 915, 916, 917, 919, 920, 925, 926, 950, 951, 953, 960, 961, 977, 985, 999]
        .choose(rng)
        .copied()
        .unwrap_or(916);
    format!(
        "+7 ({code}) {:03}-{:02}-{:02}",
        rng.random_range(100..1000),
        rng.random_range(0..100),
        rng.random_range(0..100)
    )
}

/// A personal e-mail made from a name: «m.ivanova84@mail.ru».
pub(super) fn email(rng: &mut impl Rng, person: &Person) -> String {
    let domain = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru"]
        .choose(rng)
        .copied()
        .unwrap_or("mail.ru");
    let first = translit(&person.first_name).to_lowercase();
    let surname = translit(&person.surname).to_lowercase();
    match rng.random_range(0..3) {
        0 => format!("{}.{surname}{}@{domain}", first.chars().next().unwrap_or('x'), rng.random_range(70..100)),
        1 => format!("{first}.{surname}@{domain}"),
        _ => format!("{surname}{}@{domain}", rng.random_range(1..1000)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_agree_with_gender() {
        assert_eq!(feminine("Иванов"), "Иванова");
        assert_eq!(feminine("Соловьёв"), "Соловьёва");
        assert_eq!(feminine("Ильин"), "Ильина");
        assert_eq!(feminine("Синицын"), "Синицына");
        assert_eq!(feminine("Покровский"), "Покровская");
        assert_eq!(feminine("Высоцкий"), "Высоцкая");
        assert_eq!(feminine("Береговой"), "Береговая");
        assert_eq!(feminine("Заречный"), "Заречная");
        assert_eq!(feminine("Шевченко"), "Шевченко");
        assert_eq!(feminine("Черных"), "Черных");
        assert_eq!(feminine("Ковальчук"), "Ковальчук");
    }

    #[test]
    fn lists_are_long_enough() {
        assert!(SURNAMES.len() >= 150);
        assert!(MALE_NAMES.len() >= 100);
        assert!(FEMALE_NAMES.len() >= 100);
        for (name, son, daughter, _) in MALE_NAMES {
            assert!(son.ends_with("ич"), "{name}");
            assert!(daughter.ends_with("на"), "{name}");
        }
    }

    #[test]
    fn logins_are_latin() {
        let p = Person {
            surname: "Щербакова".into(),
            first_name: "Юлия".into(),
            patronymic: "Ильинична".into(),
            male: false,
        };
        assert_eq!(p.login(), "shcherbakova.yi");
        assert_eq!(translit("Новиков"), "Novikov");
        assert_eq!(translit("Пётр"), "Petr");
    }
}
