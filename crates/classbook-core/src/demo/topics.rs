//! Calendar-thematic plans (КТП) and homework texts: plausible topic titles
//! by subject and grade, each plan exactly as long as the curriculum hours.

use super::school::*;
use rand::Rng;

/// What happens in a lesson of the plan, which decides the marks given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ItemKind {
    Regular,
    Control,
    Dictation,
    Essay,
    Test,
    Lab,
    Practical,
    Review,
}

#[derive(Clone, Debug)]
pub(super) struct KtpTemplate {
    pub title: String,
    pub kind: ItemKind,
    /// Paragraph (or unit, or textbook page block) the lesson works on.
    pub para: u16,
}

/// How a subject's plan is written.
#[derive(Clone, Copy)]
enum Style {
    /// «§12. Сложение дробей», with a check at the end of each topic.
    Para { check: ItemKind, extra: Option<ItemKind>, suffixes: &'static [&'static str] },
    /// Primary school: no paragraphs.
    Primary { check: ItemKind },
    /// «Unit 3. My family. Грамматика».
    Unit,
    /// PE, music, art: «Лёгкая атлетика. Занятие 3».
    Plain,
    /// Literature: works read, essays and tests.
    Literature,
}

const SOLVE: &[&str] = &["Решение задач", "Закрепление", "Практикум"];
const FIX: &[&str] = &["Закрепление", "Обобщение"];
const ENG_PARTS: &[&str] = &["Лексика", "Грамматика", "Чтение", "Аудирование", "Говорение", "Письмо"];

fn style(subject: usize, grade: u8) -> Style {
    if grade <= 4 {
        return match subject {
            RUS => Style::Primary { check: if grade == 1 { ItemKind::Test } else { ItemKind::Dictation } },
            MATH => Style::Primary { check: if grade == 1 { ItemKind::Test } else { ItemKind::Control } },
            LITR | OKR => Style::Primary { check: ItemKind::Test },
            ENG => Style::Unit,
            _ => Style::Plain,
        };
    }
    match subject {
        RUS => Style::Para { check: ItemKind::Dictation, extra: None, suffixes: FIX },
        LIT => Style::Literature,
        ENG => Style::Unit,
        MATH | ALG | GEOM => Style::Para { check: ItemKind::Control, extra: None, suffixes: SOLVE },
        PROB => Style::Para { check: ItemKind::Test, extra: None, suffixes: SOLVE },
        PHYS => Style::Para { check: ItemKind::Control, extra: Some(ItemKind::Lab), suffixes: SOLVE },
        CHEM => Style::Para { check: ItemKind::Control, extra: Some(ItemKind::Lab), suffixes: FIX },
        BIO => Style::Para { check: ItemKind::Test, extra: Some(ItemKind::Lab), suffixes: FIX },
        INF => Style::Para { check: ItemKind::Test, extra: Some(ItemKind::Practical), suffixes: FIX },
        GEO => Style::Para { check: ItemKind::Test, extra: Some(ItemKind::Practical), suffixes: FIX },
        HIST | SOC | OBZR => Style::Para { check: ItemKind::Test, extra: None, suffixes: FIX },
        _ => Style::Plain,
    }
}

fn topics(subject: usize, grade: u8) -> &'static [&'static str] {
    match (subject, grade) {
        (RUS, 1) => &[
            "Речь устная и письменная",
            "Предложение и слово",
            "Слог. Ударение",
            "Звуки и буквы",
            "Гласные звуки и буквы",
            "Согласные звуки и буквы",
            "Твёрдые и мягкие согласные",
            "Звонкие и глухие согласные",
            "Шипящие согласные звуки",
            "Сочетания жи–ши, ча–ща, чу–щу",
            "Заглавная буква в именах собственных",
            "Перенос слов",
            "Алфавит",
        ],
        (RUS, 2..=4) => &[
            "Наша речь",
            "Текст. Тема и основная мысль текста",
            "Предложение. Члены предложения",
            "Слово и его значение",
            "Однокоренные слова. Корень слова",
            "Состав слова",
            "Правописание безударных гласных в корне",
            "Правописание парных согласных в корне",
            "Непроизносимые согласные",
            "Разделительный мягкий знак",
            "Имя существительное",
            "Имя прилагательное",
            "Местоимение",
            "Глагол",
            "Предлоги и приставки",
        ],
        (RUS, 5..=9) => &[
            "Язык и общение",
            "Фонетика. Орфоэпия. Графика",
            "Морфемика. Правописание корней",
            "Правописание приставок",
            "Лексикология",
            "Словосочетание",
            "Простое предложение",
            "Однородные члены предложения",
            "Обособленные члены предложения",
            "Имя существительное",
            "Имя прилагательное",
            "Имя числительное",
            "Глагол. Правописание личных окончаний",
            "Причастие и причастный оборот",
            "Деепричастие и деепричастный оборот",
            "Наречие",
            "Сложносочинённое предложение",
            "Сложноподчинённое предложение",
        ],
        (RUS, _) => &[
            "Язык как система",
            "Лексика и фразеология",
            "Орфоэпические нормы",
            "Морфологические нормы",
            "Синтаксические нормы",
            "Орфография: трудные случаи",
            "Пунктуация в сложном предложении",
            "Текст. Средства связи предложений",
            "Функциональные стили речи",
            "Сочинение-рассуждение по прочитанному тексту",
        ],
        (LITR, _) => &[
            "Устное народное творчество",
            "Сказки народов России",
            "Басни И. А. Крылова",
            "Стихи А. С. Пушкина",
            "Рассказы Л. Н. Толстого",
            "Произведения о природе",
            "Стихи о Родине",
            "Рассказы о детях",
            "Произведения К. Г. Паустовского",
            "Литературные сказки",
            "Юмористические произведения",
            "Зарубежная литература",
        ],
        (LIT, 5..=9) => &[
            "Мифы Древней Греции",
            "Былины",
            "А. С. Пушкин. Лирика",
            "М. Ю. Лермонтов. «Бородино»",
            "Н. В. Гоголь. «Вечера на хуторе близ Диканьки»",
            "И. С. Тургенев. «Муму»",
            "Н. А. Некрасов. Стихотворения",
            "Л. Н. Толстой. «Кавказский пленник»",
            "А. П. Чехов. Рассказы",
            "И. А. Бунин. Рассказы",
            "В. П. Астафьев. «Васюткино озеро»",
            "А. С. Пушкин. «Капитанская дочка»",
            "Н. В. Гоголь. «Ревизор»",
            "А. С. Грибоедов. «Горе от ума»",
            "М. Ю. Лермонтов. «Герой нашего времени»",
            "Н. В. Гоголь. «Мёртвые души»",
            "М. А. Шолохов. «Судьба человека»",
        ],
        (LIT, _) => &[
            "А. Н. Островский. «Гроза»",
            "И. С. Тургенев. «Отцы и дети»",
            "Ф. И. Тютчев. Лирика",
            "Н. А. Некрасов. «Кому на Руси жить хорошо»",
            "Ф. М. Достоевский. «Преступление и наказание»",
            "Л. Н. Толстой. «Война и мир»",
            "А. П. Чехов. «Вишнёвый сад»",
            "А. А. Блок. Лирика",
            "С. А. Есенин. Лирика",
            "М. А. Булгаков. «Мастер и Маргарита»",
            "М. А. Шолохов. «Тихий Дон»",
            "А. Т. Твардовский. «Василий Тёркин»",
        ],
        (ENG, 2..=4) => &[
            "Hello! Знакомство",
            "My family",
            "My toys",
            "Colours and numbers",
            "My pets",
            "Food",
            "My house",
            "Seasons and weather",
            "My school",
            "My day",
            "Clothes",
            "Holidays",
        ],
        (ENG, _) => &[
            "School life",
            "My family and friends",
            "Free time and hobbies",
            "Sport",
            "Travelling",
            "Food and health",
            "Shopping",
            "The world of media",
            "Science and technology",
            "Environment",
            "Great Britain and Russia",
            "Festivals and celebrations",
            "Professions",
            "Famous people",
        ],
        (MATH, 1..=4) => &[
            "Числа от 1 до 10",
            "Сложение и вычитание",
            "Числа от 1 до 20",
            "Числа от 1 до 100. Нумерация",
            "Сложение и вычитание двузначных чисел",
            "Умножение и деление",
            "Табличное умножение",
            "Внетабличное умножение и деление",
            "Деление с остатком",
            "Числа больше 1000",
            "Величины",
            "Текстовые задачи",
            "Геометрические фигуры. Периметр и площадь",
        ],
        (MATH, _) => &[
            "Натуральные числа и шкалы",
            "Сложение и вычитание натуральных чисел",
            "Умножение и деление натуральных чисел",
            "Площади и объёмы",
            "Обыкновенные дроби",
            "Сложение дробей",
            "Умножение и деление дробей",
            "Десятичные дроби",
            "Проценты",
            "Отношения и пропорции",
            "Положительные и отрицательные числа",
            "Координатная плоскость",
            "Решение уравнений",
        ],
        (ALG, 7..=9) => &[
            "Выражения и их преобразования",
            "Линейное уравнение с одной переменной",
            "Линейная функция",
            "Степень с натуральным показателем",
            "Многочлены",
            "Формулы сокращённого умножения",
            "Системы линейных уравнений",
            "Рациональные дроби",
            "Квадратные корни",
            "Квадратные уравнения",
            "Неравенства",
            "Квадратичная функция",
            "Арифметическая прогрессия",
            "Геометрическая прогрессия",
        ],
        (ALG, _) => &[
            "Действительные числа",
            "Степенная функция",
            "Показательная функция",
            "Логарифмическая функция",
            "Тригонометрические формулы",
            "Тригонометрические уравнения",
            "Производная",
            "Применение производной",
            "Первообразная и интеграл",
            "Уравнения и неравенства",
        ],
        (GEOM, 7..=9) => &[
            "Начальные геометрические сведения",
            "Треугольники",
            "Параллельные прямые",
            "Соотношения между сторонами и углами треугольника",
            "Четырёхугольники",
            "Площадь",
            "Подобные треугольники",
            "Окружность",
            "Векторы",
            "Метод координат",
            "Длина окружности и площадь круга",
        ],
        (GEOM, _) => &[
            "Аксиомы стереометрии",
            "Параллельность прямых и плоскостей",
            "Перпендикулярность прямых и плоскостей",
            "Многогранники",
            "Векторы в пространстве",
            "Метод координат в пространстве",
            "Цилиндр, конус, шар",
            "Объёмы тел",
        ],
        (PROB, _) => &[
            "Представление данных",
            "Описательная статистика",
            "Случайная изменчивость",
            "Введение в теорию графов",
            "Вероятность и частота случайного события",
            "Элементы комбинаторики",
            "Геометрическая вероятность",
            "Испытания Бернулли",
            "Случайные величины",
        ],
        (INF, _) => &[
            "Информация и информационные процессы",
            "Компьютер и программное обеспечение",
            "Файлы и файловая система",
            "Системы счисления",
            "Элементы алгебры логики",
            "Алгоритмы и исполнители",
            "Программирование на Python: линейные алгоритмы",
            "Ветвления",
            "Циклы",
            "Обработка текстовой информации",
            "Компьютерная графика",
            "Электронные таблицы",
            "Компьютерные сети и Интернет",
            "Информационная безопасность",
        ],
        (OKR, _) => &[
            "Мы и наш мир",
            "Природа и человек",
            "Неживая и живая природа",
            "Растения",
            "Животные",
            "Человек и его здоровье",
            "Правила безопасной жизни",
            "Наша Родина — Россия",
            "Родной край",
            "Страницы истории Отечества",
            "Путешествия по городам и странам",
            "Природные зоны России",
        ],
        (HIST, 5) => &[
            "Первобытность",
            "Древний Египет",
            "Древняя Месопотамия",
            "Древняя Индия и Китай",
            "Древняя Греция",
            "Эллинизм",
            "Древний Рим: от города к империи",
            "Римская империя",
        ],
        (HIST, 6) => &[
            "Раннее Средневековье",
            "Византийская империя",
            "Арабы в VI–XI вв.",
            "Образование государства Русь",
            "Русь в конце X — начале XII в.",
            "Русь в середине XII — начале XIII в.",
            "Русские земли в середине XIII — XIV в.",
            "Формирование единого Русского государства",
        ],
        (HIST, 7..=9) => &[
            "Эпоха Великих географических открытий",
            "Россия в XVI веке",
            "Смутное время",
            "Россия в XVII веке",
            "Эпоха Петра I",
            "Россия после Петра I",
            "Россия при Екатерине II",
            "Александровская эпоха",
            "Николаевская Россия",
            "Великие реформы",
            "Россия на рубеже XIX–XX вв.",
        ],
        (HIST, _) => &[
            "Россия в годы «великих потрясений»",
            "Советский Союз в 1920–1930-е гг.",
            "Великая Отечественная война 1941–1945 гг.",
            "СССР в 1945–1953 гг.",
            "СССР в 1953–1964 гг.",
            "СССР в 1964–1985 гг.",
            "Перестройка и распад СССР",
            "Российская Федерация в 1990-е гг.",
            "Россия в XXI веке",
        ],
        (SOC, _) => &[
            "Человек в социальном измерении",
            "Человек среди людей",
            "Общество и его сферы",
            "Экономика",
            "Политическая сфера",
            "Право",
            "Конституция Российской Федерации",
            "Права и свободы человека",
            "Гражданин и государство",
            "Социальная структура общества",
            "Духовная культура",
        ],
        (ODNK, _) => &[
            "Мир культуры",
            "Культура и традиции народов России",
            "Семья — хранитель духовных ценностей",
            "Культурное наследие России",
            "Нравственные ценности",
            "Родина и патриотизм",
            "Человек и труд",
        ],
        (GEO, _) => &[
            "Развитие географических знаний о Земле",
            "Земля во Вселенной",
            "План местности и географическая карта",
            "Литосфера",
            "Гидросфера",
            "Атмосфера и климат",
            "Биосфера",
            "Природные комплексы",
            "Материки и океаны",
            "Географическое положение России",
            "Природа России",
            "Население России",
            "Хозяйство России",
            "Регионы России",
        ],
        (BIO, _) => &[
            "Биология — наука о живой природе",
            "Клетка — основа строения и жизнедеятельности",
            "Многообразие организмов",
            "Растения",
            "Животные",
            "Бактерии и грибы",
            "Организм человека",
            "Опорно-двигательная система",
            "Кровеносная система",
            "Нервная система",
            "Генетика",
            "Эволюция",
            "Экосистемы",
        ],
        (PHYS, _) => &[
            "Первоначальные сведения о строении вещества",
            "Механическое движение",
            "Взаимодействие тел",
            "Давление твёрдых тел, жидкостей и газов",
            "Работа и мощность. Энергия",
            "Тепловые явления",
            "Электрические явления",
            "Электромагнитные явления",
            "Световые явления",
            "Законы движения и взаимодействия тел",
            "Механические колебания и волны",
            "Строение атома и атомного ядра",
        ],
        (CHEM, _) => &[
            "Первоначальные химические понятия",
            "Кислород. Водород",
            "Вода. Растворы",
            "Основные классы неорганических соединений",
            "Периодический закон Д. И. Менделеева",
            "Строение вещества",
            "Химические реакции",
            "Металлы",
            "Неметаллы",
            "Основы органической химии",
        ],
        (IZO, _) => &[
            "Ты изображаешь, украшаешь и строишь",
            "Искусство вокруг нас",
            "Живопись",
            "Графика",
            "Скульптура",
            "Декоративно-прикладное искусство",
            "Народные промыслы",
            "Архитектура",
            "Дизайн",
        ],
        (MUS, _) => &[
            "Музыка в жизни человека",
            "Народная музыка России",
            "Музыка народов мира",
            "Классическая музыка",
            "Духовная музыка",
            "Музыка театра и кино",
            "Современная музыкальная культура",
            "Музыкальная грамота",
        ],
        (TRUD, _) => &[
            "Технологии обработки бумаги и картона",
            "Технологии обработки текстильных материалов",
            "Технологии обработки конструкционных материалов",
            "Компьютерная графика. Черчение",
            "Робототехника",
            "3D-моделирование и прототипирование",
            "Технологии обработки пищевых продуктов",
            "Проектная деятельность",
        ],
        (PE, _) => &[
            "Лёгкая атлетика",
            "Гимнастика с элементами акробатики",
            "Спортивные игры: баскетбол",
            "Спортивные игры: волейбол",
            "Лыжная подготовка",
            "Подвижные игры",
            "Спортивные игры: футбол",
            "Подготовка к сдаче норм ГТО",
        ],
        _ => &[
            "Безопасное и устойчивое развитие личности и общества",
            "Защита населения России от чрезвычайных ситуаций",
            "Безопасность в быту",
            "Безопасность на транспорте",
            "Безопасность в общественных местах",
            "Основы медицинских знаний. Первая помощь",
            "Основы военной подготовки",
            "Безопасность в информационном пространстве",
            "Основы противодействия экстремизму и терроризму",
        ],
    }
}

fn check_title(kind: ItemKind, number: u32, topic: &str) -> String {
    match kind {
        ItemKind::Control => format!("Контрольная работа № {number} по теме «{topic}»"),
        ItemKind::Dictation => format!("Контрольный диктант № {number} по теме «{topic}»"),
        ItemKind::Essay => format!("Сочинение № {number} по теме «{topic}»"),
        _ => format!("Проверочная работа (тест) по теме «{topic}»"),
    }
}

/// The plan of `hours` lessons for a subject in a grade.
pub(super) fn plan(subject: usize, grade: u8, hours: usize) -> Vec<KtpTemplate> {
    let list = topics(subject, grade);
    let style = style(subject, grade);
    let mut out: Vec<KtpTemplate> = Vec::with_capacity(hours);
    if hours == 0 {
        return out;
    }
    let closing = if hours >= 10 { 2 } else { 0 };
    let body = hours - closing;
    let k = (body / 6).clamp(1, list.len()).min(body);
    // Parallel grades of a band read a different part of the list.
    let start = ((grade as usize) * 3) % list.len();
    let mut para: u16 = 0;
    let mut checks = 0u32;
    let mut extras = 0u32;
    for j in 0..k {
        let topic = list[(start + j) % list.len()];
        let h = body / k + usize::from(j < body % k);
        let check = match style {
            Style::Para { check, .. } | Style::Primary { check } => (h >= 3).then_some(check),
            Style::Unit => (h >= 4).then_some(ItemKind::Test),
            Style::Literature => (h >= 3).then_some(if j % 3 == 2 { ItemKind::Essay } else { ItemKind::Test }),
            Style::Plain => None,
        };
        let extra = match style {
            Style::Para { extra: Some(kind), .. } if h >= 4 => Some(kind),
            _ => None,
        };
        let regular = h - usize::from(check.is_some()) - usize::from(extra.is_some());
        let extra_at = regular / 2;
        let mut extra_done = false;
        let mut r = 0;
        for i in 0..h {
            if let Some(kind) = check
                && i == h - 1
            {
                checks += 1;
                out.push(KtpTemplate { title: check_title(kind, checks, topic), kind, para });
                continue;
            }
            if let Some(kind) = extra
                && r == extra_at
                && !extra_done
            {
                extras += 1;
                extra_done = true;
                let what = if kind == ItemKind::Lab {
                    "Лабораторная работа"
                } else {
                    "Практическая работа"
                };
                out.push(KtpTemplate { title: format!("{what} № {extras}. {topic}"), kind, para });
                continue;
            }
            let (title, new_para) = match style {
                Style::Para { suffixes, .. } => {
                    if r % 2 == 0 {
                        (format!("§{}. {topic}", para + 1), true)
                    } else {
                        (format!("§{para}. {topic}. {}", suffixes[(r / 2) % suffixes.len()]), false)
                    }
                }
                Style::Primary { .. } => {
                    if r == 0 {
                        (topic.to_string(), true)
                    } else {
                        (format!("{topic}. {}", ["Закрепление", "Упражнения", "Обобщение"][(r - 1) % 3]), true)
                    }
                }
                Style::Unit => (format!("Unit {}. {topic}. {}", j + 1, ENG_PARTS[r % ENG_PARTS.len()]), r == 0),
                Style::Literature => {
                    if r == 0 {
                        (format!("{topic}. Знакомство с произведением"), true)
                    } else {
                        (
                            format!(
                                "{topic}. {}",
                                ["Анализ эпизодов", "Образы героев", "Проблематика", "Обобщение"][(r - 1) % 4]
                            ),
                            true,
                        )
                    }
                }
                Style::Plain => (format!("{topic}. Занятие {}", r + 1), r == 0),
            };
            if new_para {
                para += 1;
            }
            out.push(KtpTemplate { title, kind: ItemKind::Regular, para });
            r += 1;
        }
    }
    if closing == 2 {
        out.push(KtpTemplate {
            title: "Повторение и обобщение изученного за год".into(),
            kind: ItemKind::Review,
            para,
        });
        let last = match style {
            Style::Para { check, .. } | Style::Primary { check } if check != ItemKind::Test => KtpTemplate {
                title: "Итоговая контрольная работа (промежуточная аттестация)".into(),
                kind: ItemKind::Control,
                para,
            },
            Style::Plain => {
                KtpTemplate { title: "Итоговое занятие".into(), kind: ItemKind::Review, para }
            }
            _ => KtpTemplate {
                title: "Итоговый тест (промежуточная аттестация)".into(), kind: ItemKind::Test, para
            },
        };
        out.push(last);
    }
    debug_assert_eq!(out.len(), hours);
    out
}

/// Homework after a lesson of `subject` in `grade` on paragraph `para`, if
/// the subject has written homework and the lesson was not a check.
pub(super) fn homework(subject: usize, grade: u8, item: &KtpTemplate, rng: &mut impl Rng) -> Option<String> {
    if grade == 1 || matches!(subject, PE | MUS | IZO | TRUD) {
        return None;
    }
    if matches!(item.kind, ItemKind::Control | ItemKind::Dictation | ItemKind::Test | ItemKind::Essay) {
        return rng.random_bool(0.3).then(|| "Повторить изученное по теме".to_string());
    }
    let p = item.para.max(1) as u32;
    let page = 4 + p * 4 + rng.random_range(0..3);
    let n = p * 6 + rng.random_range(0..6);
    let text = if grade <= 4 {
        match subject {
            RUS => format!("с. {page}, упр. {n}"),
            MATH => format!("с. {page}, № {}, {}", n % 9 + 1, n % 9 + 3),
            LITR => match rng.random_range(0..3) {
                0 => format!("с. {page}–{}, выразительное чтение", page + 3),
                1 => "Выучить стихотворение наизусть".to_string(),
                _ => format!("с. {page}–{}, пересказ", page + 2),
            },
            OKR => format!("с. {page}–{}, ответить на вопросы", page + 3),
            ENG => format!("с. {page}, упр. {}; выучить новые слова", n % 7 + 1),
            _ => return None,
        }
    } else {
        match subject {
            RUS => format!("§{p}, упр. {n}"),
            LIT => match rng.random_range(0..4) {
                0 => "Дочитать произведение, ответить на вопросы".to_string(),
                1 => "Выучить наизусть отрывок".to_string(),
                2 => "Подготовить пересказ эпизода".to_string(),
                _ => format!("Вопросы на с. {page}, письменно № {}", n % 6 + 1),
            },
            ENG => format!("Unit {}: упр. {}, {} (с. {page}); слова", p, n % 8 + 1, n % 8 + 2),
            MATH | ALG | GEOM | PROB => format!("п. {p}, № {}, {}, {}", n * 3, n * 3 + 2, n * 3 + 5),
            PHYS => format!("§{p}, упр. {} (1–3)", p + 1),
            CHEM => format!("§{p}, задания {}–{}", n % 5 + 1, n % 5 + 4),
            INF => format!("§{p}, вопросы 1–{}; задание {} в тетради", n % 4 + 3, n % 9 + 1),
            ODNK => return rng.random_bool(0.3).then(|| "Подготовить сообщение по теме урока".to_string()),
            _ => format!("§{p}, вопросы 1–{}", n % 5 + 3),
        }
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_match_the_hours() {
        for grade in 1..=11u8 {
            for &(subject, weekly) in weekly_plan(grade) {
                let hours = hours_per_year(grade, weekly) as usize;
                let plan = plan(subject, grade, hours);
                assert_eq!(plan.len(), hours, "{} {grade}", SUBJECTS[subject].name);
                assert!(plan.iter().all(|t| !t.title.is_empty()));
            }
        }
        let algebra = plan(ALG, 8, 102);
        assert!(algebra[0].title.starts_with("§1. "), "{}", algebra[0].title);
        assert!(algebra.iter().any(|t| t.kind == ItemKind::Control));
        let physics = plan(PHYS, 8, 68);
        assert!(physics.iter().any(|t| t.kind == ItemKind::Lab), "{physics:#?}");
    }
}
