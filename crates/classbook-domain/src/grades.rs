//! Grade math: the grading systems a school may use (REQUIREMENTS §3), what a
//! teacher may type into a mark or a final cell, the 100-point → 5-point
//! conversion (001 Положение §2.2), the weighted average and the forecast it
//! implies (001 Регламент услуги §3.5.4), the warnings a teacher must act on
//! before the end of a period, and the success rate and quality of knowledge
//! of the control reports (REQUIREMENTS §4, 000 Приложение 5 §13).
//!
//! Everything here is a pure function of values already read from the
//! journal; storage and permissions live elsewhere.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::PeriodKind;

/// The scale a subject's marks are given on, chosen per class and subject in
/// the curriculum.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GradingSystem {
    /// «5…1», the default of Russian schools.
    #[default]
    #[serde(rename = "five")]
    FivePoint,
    /// «зач/незач».
    #[serde(rename = "pass_fail")]
    PassFail,
    /// 0…100, converted to five points for averages and finals.
    #[serde(rename = "hundred")]
    Hundred,
}

impl GradingSystem {
    pub const ALL: [GradingSystem; 3] = [GradingSystem::FivePoint, GradingSystem::PassFail, GradingSystem::Hundred];

    pub fn code(self) -> &'static str {
        match self {
            GradingSystem::FivePoint => "five",
            GradingSystem::PassFail => "pass_fail",
            GradingSystem::Hundred => "hundred",
        }
    }

    pub fn from_code(code: &str) -> Option<GradingSystem> {
        GradingSystem::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            GradingSystem::FivePoint => "пятибалльная",
            GradingSystem::PassFail => "зачёт/незачёт",
            GradingSystem::Hundred => "стобалльная",
        }
    }

    /// The system's name in the accusative, as error messages need it after
    /// «не входит в».
    fn in_phrase(self) -> &'static str {
        match self {
            GradingSystem::FivePoint => "пятибалльную систему",
            GradingSystem::PassFail => "систему «зачёт/незачёт»",
            GradingSystem::Hundred => "стобалльную систему",
        }
    }

    /// What the teacher should type instead, ending every parse error so the
    /// message says how to fix the entry.
    fn entry_hint(self) -> &'static str {
        match self {
            GradingSystem::FivePoint => "введите 1–5",
            GradingSystem::PassFail => "введите «зач» или «незач»",
            GradingSystem::Hundred => "введите целое число от 0 до 100",
        }
    }
}

/// Thresholds turning a 100-point result into a five-point mark
/// («преобразование результатов из одной системы в другую», 001 Положение
/// §2.2). A result at or above `five_from` is «5», at or above `four_from`
/// «4», at or above `three_from` «3», anything lower «2». There is no «1»:
/// a percentage cannot tell a «1» from a «2», and both are unsatisfactory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HundredScale {
    pub five_from: u8,
    pub four_from: u8,
    pub three_from: u8,
}

impl Default for HundredScale {
    /// 85 / 65 / 45 — the split most school assessment regulations use for
    /// test percentages; the seeds leave the numbers to each school, so the
    /// administrator may change them.
    fn default() -> Self {
        HundredScale { five_from: 85, four_from: 65, three_from: 45 }
    }
}

impl HundredScale {
    /// A scale the administrator entered, checked so that every mark from «2»
    /// to «5» stays reachable.
    pub fn new(five_from: u8, four_from: u8, three_from: u8) -> Result<HundredScale, GradeError> {
        let scale = HundredScale { five_from, four_from, three_from };
        scale.validate()?;
        Ok(scale)
    }

    pub fn validate(&self) -> Result<(), GradeError> {
        let ordered = 0 < self.three_from && self.three_from < self.four_from && self.four_from < self.five_from;
        if ordered && self.five_from <= 100 {
            Ok(())
        } else {
            Err(GradeError::InvalidScale {
                five_from: self.five_from,
                four_from: self.four_from,
                three_from: self.three_from,
            })
        }
    }

    /// The five-point mark for a 100-point result. Results above 100 cannot
    /// come from `MarkValue::parse` and are treated as 100.
    pub fn to_five_point(&self, score: u8) -> u8 {
        if score >= self.five_from {
            5
        } else if score >= self.four_from {
            4
        } else if score >= self.three_from {
            3
        } else {
            2
        }
    }
}

/// One mark in a journal cell, on the subject's grading system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkValue {
    /// 1..=5.
    Point(u8),
    /// «зач».
    Pass,
    /// «незач».
    Fail,
    /// 0..=100.
    Hundred(u8),
}

/// Spellings teachers use for a pass; compared after lower-casing.
const PASS_SPELLINGS: [&str; 4] = ["зач", "зачёт", "зачет", "зачтено"];
/// Spellings teachers use for a fail; compared after lower-casing.
const FAIL_SPELLINGS: [&str; 7] = ["незач", "незачёт", "незачет", "не зач", "незачтено", "не зачтено", "н/з"];

impl MarkValue {
    /// Reads what a teacher typed into a cell of a subject graded on
    /// `system`. Surrounding spaces and letter case are ignored; anything
    /// outside the system is refused rather than guessed, because a wrong
    /// mark silently shifts the forecast.
    pub fn parse(system: GradingSystem, text: &str) -> Result<MarkValue, GradeError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(GradeError::EmptyMark { system });
        }
        let lower = trimmed.to_lowercase();
        let not_in_system = || GradeError::NotInSystem { text: trimmed.to_string(), system };
        match system {
            GradingSystem::FivePoint => match small_number(&lower) {
                Some(n @ 1..=5) => Ok(MarkValue::Point(n as u8)),
                _ => Err(not_in_system()),
            },
            GradingSystem::Hundred => match small_number(&lower) {
                Some(n @ 0..=100) => Ok(MarkValue::Hundred(n as u8)),
                _ => Err(not_in_system()),
            },
            GradingSystem::PassFail => {
                if PASS_SPELLINGS.contains(&lower.as_str()) {
                    Ok(MarkValue::Pass)
                } else if FAIL_SPELLINGS.contains(&lower.as_str()) {
                    Ok(MarkValue::Fail)
                } else {
                    Err(not_in_system())
                }
            }
        }
    }

    /// The mark's value in the five-point average. Pass/fail marks say
    /// nothing about the level of knowledge, so they stay out of it.
    pub fn five_point(&self, scale: &HundredScale) -> Option<f64> {
        match *self {
            MarkValue::Point(n) => Some(f64::from(n)),
            MarkValue::Hundred(score) => Some(f64::from(scale.to_five_point(score))),
            MarkValue::Pass | MarkValue::Fail => None,
        }
    }

    /// Whether the mark goes into the list of unsatisfactory marks with their
    /// topics (REQUIREMENTS §4).
    pub fn is_unsatisfactory(&self, scale: &HundredScale) -> bool {
        match *self {
            MarkValue::Point(n) => n <= 2,
            MarkValue::Fail => true,
            MarkValue::Pass => false,
            MarkValue::Hundred(score) => score < scale.three_from,
        }
    }

    /// The grading system this mark belongs to.
    pub fn system(&self) -> GradingSystem {
        match self {
            MarkValue::Point(_) => GradingSystem::FivePoint,
            MarkValue::Pass | MarkValue::Fail => GradingSystem::PassFail,
            MarkValue::Hundred(_) => GradingSystem::Hundred,
        }
    }
}

impl fmt::Display for MarkValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkValue::Point(n) | MarkValue::Hundred(n) => write!(f, "{n}"),
            MarkValue::Pass => f.write_str("зач"),
            MarkValue::Fail => f.write_str("незач"),
        }
    }
}

/// Plain ASCII digits only: `str::parse` would also take «+5», which no
/// teacher means as a mark. Three digits are enough for every scale, and the
/// cap keeps long digit strings from overflowing.
fn small_number(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A period, year, exam or final mark as it stands in the summary sheet
/// (000 Регламент §2.9). Stored and exchanged as its journal spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum FinalValue {
    /// 1..=5; a 100-point subject's final is converted to five points.
    Point(u8),
    /// «зач».
    Pass,
    /// «незач».
    Fail,
    /// «осв» — exempt.
    Exempt,
    /// «н/а» — not assessed: too few marks, usually for missed lessons.
    NotAssessed,
    /// «безотм» — the subject is taught without marks.
    Ungraded,
}

impl FinalValue {
    /// Reads a final as typed, whatever the subject's system; letter case is
    /// ignored because 001 §2.8 writes «ОСВ» and «Н/А» in capitals.
    pub fn parse(text: &str) -> Result<FinalValue, GradeError> {
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        let value = match lower.as_str() {
            "осв" => Some(FinalValue::Exempt),
            "н/а" | "н\\а" => Some(FinalValue::NotAssessed),
            "безотм" => Some(FinalValue::Ungraded),
            s if PASS_SPELLINGS.contains(&s) => Some(FinalValue::Pass),
            s if FAIL_SPELLINGS.contains(&s) => Some(FinalValue::Fail),
            s => match small_number(s) {
                Some(n @ 1..=5) => Some(FinalValue::Point(n as u8)),
                _ => None,
            },
        };
        value.ok_or_else(|| GradeError::UnknownFinal { text: trimmed.to_string() })
    }

    /// Reads a final for a subject graded on `system`: a pass/fail subject
    /// cannot end with «4», nor a five-point one with «зач».
    pub fn parse_for(system: GradingSystem, text: &str) -> Result<FinalValue, GradeError> {
        let value = FinalValue::parse(text)?;
        if value.fits(system) {
            Ok(value)
        } else {
            Err(GradeError::FinalNotInSystem { text: text.trim().to_string(), system })
        }
    }

    /// Whether this final may close a subject graded on `system`. The special
    /// values fit every system.
    pub fn fits(&self, system: GradingSystem) -> bool {
        match self {
            FinalValue::Point(_) => system != GradingSystem::PassFail,
            FinalValue::Pass | FinalValue::Fail => system == GradingSystem::PassFail,
            FinalValue::Exempt | FinalValue::NotAssessed | FinalValue::Ungraded => true,
        }
    }

    /// Counts towards the success rate: «3» and above, or «зач».
    pub fn is_success(&self) -> bool {
        match *self {
            FinalValue::Point(n) => n >= 3,
            FinalValue::Pass => true,
            _ => false,
        }
    }

    /// Counts towards the quality of knowledge: «4» or «5» only.
    pub fn is_quality(&self) -> bool {
        matches!(*self, FinalValue::Point(4 | 5))
    }

    /// An academic debt: «2», «1» or «незач».
    pub fn is_unsatisfactory(&self) -> bool {
        match *self {
            FinalValue::Point(n) => n <= 2,
            FinalValue::Fail => true,
            _ => false,
        }
    }

    /// Exempt and ungraded students were never meant to be assessed in the
    /// subject, so they leave the denominator of the rates.
    pub fn is_excluded(&self) -> bool {
        matches!(self, FinalValue::Exempt | FinalValue::Ungraded)
    }
}

impl fmt::Display for FinalValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinalValue::Point(n) => write!(f, "{n}"),
            FinalValue::Pass => f.write_str("зач"),
            FinalValue::Fail => f.write_str("незач"),
            FinalValue::Exempt => f.write_str("осв"),
            FinalValue::NotAssessed => f.write_str("н/а"),
            FinalValue::Ungraded => f.write_str("безотм"),
        }
    }
}

impl From<FinalValue> for String {
    fn from(value: FinalValue) -> String {
        value.to_string()
    }
}

impl TryFrom<String> for FinalValue {
    type Error = GradeError;

    fn try_from(text: String) -> Result<FinalValue, GradeError> {
        FinalValue::parse(&text)
    }
}

/// The weighted average (средневзвешенный балл, 004 §2.2) of
/// `(five-point value, weight)` pairs. Pairs with a weight that is not a
/// positive finite number, or a non-finite value, are skipped: a work type
/// weighted 0 is how a school keeps a mark visible but out of the average.
/// `None` when nothing weighted remains — there is no average to show.
pub fn weighted_average(marks: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (sum, weights) = marks
        .into_iter()
        .filter(|&(value, weight)| value.is_finite() && weight.is_finite() && weight > 0.0)
        .fold((0.0, 0.0), |(sum, weights), (value, weight)| (sum + value * weight, weights + weight));
    (weights > 0.0).then(|| sum / weights)
}

/// The average as the journal shows it: two decimals, halves rounded up.
/// The forecast is taken from this figure so that parents never see «4,50»
/// next to a forecast of «4» because the sum was really 4.4999999.
pub fn round_average(average: f64) -> f64 {
    (average * 100.0).round() / 100.0
}

/// The expected period mark for an average (001 Регламент услуги §3.5.4):
/// the average rounded to two decimals (`round_average`), then to the
/// nearest whole mark with halves up — 2.5 → «3», 3.5 → «4», 4.5 → «5»,
/// 4.49 → «4». Clamped to 1..=5; a non-finite average gives «1», which only
/// a caller that ignored `weighted_average`'s `None` can reach.
pub fn forecast(average: f64) -> u8 {
    if !average.is_finite() {
        return 1;
    }
    let hundredths = (average * 100.0).round() as i64;
    ((hundredths + 50).div_euclid(100)).clamp(1, 5) as u8
}

/// Study weeks a year in grades 2–11 (grade 1 has 33, but it is taught
/// without marks, so its hours never reach `min_marks_for_final`).
pub const STUDY_WEEKS: f64 = 34.0;

/// Weekly load of a subject from the curriculum's hours per year.
pub fn weekly_hours(hours_per_year: f64) -> f64 {
    hours_per_year / STUDY_WEEKS
}

/// How many marks a student needs for a quarter, trimester or half-year
/// final to be justified (002 §6.1–6.2: finals «должны быть обоснованы»
/// by «количество оценок в установленном порядке»). The seeds leave the
/// number to the school's положение о текущем контроле; this follows the
/// rule such положения usually set: at least 3 marks at up to 1 hour a
/// week, 5 at up to 2 hours, 7 at more. Hours come from the curriculum as
/// yearly averages (e.g. 68 / 34 = 2.0), so a small tolerance keeps
/// rounding noise from bumping a subject into the next band.
pub fn min_marks_for_final(weekly_hours: f64) -> usize {
    const NOISE: f64 = 1e-6;
    if weekly_hours <= 1.0 + NOISE {
        3
    } else if weekly_hours <= 2.0 + NOISE {
        5
    } else {
        7
    }
}

/// Whether a final of this kind is justified by the lesson marks of the
/// period. Year, exam and overall finals rest on period finals and exam
/// results instead, so the mark quota and the forecast do not apply to them.
pub fn justified_by_marks(kind: PeriodKind) -> bool {
    match kind {
        PeriodKind::Quarter | PeriodKind::Trimester | PeriodKind::Half | PeriodKind::Module => true,
        PeriodKind::Year | PeriodKind::Exam | PeriodKind::Final => false,
    }
}

/// A line of the warning list a teacher works through before setting finals
/// (REQUIREMENTS §3).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FinalWarning {
    /// The intended final is lower than the forecast: 001 §3.5.4 obliges the
    /// teacher to tell the parents, with the reason, at least 3 lessons
    /// before the end of the period.
    BelowForecast { intended: u8, forecast: u8, average: f64 },
    /// A mark is intended but the student has no weighted marks at all.
    NoMarks,
    /// Fewer marks than `min_marks_for_final` asks for.
    TooFewMarks { have: usize, need: usize },
}

impl fmt::Display for FinalWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FinalWarning::BelowForecast { intended, forecast, average } => write!(
                f,
                "Итоговая «{intended}» ниже прогноза «{forecast}» (средний балл {}): \
                 известите родителей и объясните причину не позднее чем за 3 урока до конца периода",
                format!("{:.2}", round_average(average)).replace('.', ",")
            ),
            FinalWarning::NoMarks => {
                f.write_str("У ученика нет отметок за период: выставьте текущие отметки или поставьте «н/а»")
            }
            FinalWarning::TooFewMarks { have, need } => write!(
                f,
                "Отметок за период {have}, а для обоснованной итоговой нужно не менее {need}: \
                 выставьте недостающие отметки"
            ),
        }
    }
}

/// The forecast check for one student's intended final: `average` is the
/// student's `weighted_average` for the period. Only a five-point final is
/// compared — pass/fail marks have no forecast, and the special values are
/// decisions of their own.
pub fn final_warning(intended: FinalValue, average: Option<f64>) -> Option<FinalWarning> {
    let FinalValue::Point(mark) = intended else {
        return None;
    };
    let Some(average) = average else {
        return Some(FinalWarning::NoMarks);
    };
    let expected = forecast(average);
    (mark < expected).then(|| FinalWarning::BelowForecast {
        intended: mark,
        forecast: expected,
        average: round_average(average),
    })
}

/// The mark-quota check: `marks` counts every mark of the period, pass/fail
/// included, since any mark is evidence for the final.
pub fn too_few_marks(marks: usize, weekly_hours: f64) -> Option<FinalWarning> {
    let need = min_marks_for_final(weekly_hours);
    (marks < need).then_some(FinalWarning::TooFewMarks { have: marks, need })
}

/// Both checks for one student, in the order the teacher should act on them.
/// Nothing is reported for «осв», «н/а» and «безотм»: they are not marks
/// that the period's marks have to justify. `NoMarks` already says all a
/// quota warning would, so the two never appear together.
pub fn final_warnings(
    intended: FinalValue,
    average: Option<f64>,
    marks: usize,
    weekly_hours: f64,
) -> Vec<FinalWarning> {
    let mut warnings: Vec<FinalWarning> = final_warning(intended, average).into_iter().collect();
    let is_mark = matches!(intended, FinalValue::Point(_) | FinalValue::Pass | FinalValue::Fail);
    if is_mark && !warnings.contains(&FinalWarning::NoMarks) {
        warnings.extend(too_few_marks(marks, weekly_hours));
    }
    warnings
}

/// Where one student ends up in the class results, from one subject's final
/// or from all of the student's finals together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudentOutcome {
    /// Every five-point final is «5».
    Excellent,
    /// Every five-point final is «4» or «5», at least one «4».
    Good,
    /// At least one «3», no debt.
    Satisfactory,
    /// Only «зач» (with perhaps «осв»/«безотм»): a success without a level.
    Passed,
    /// At least one «2», «1» or «незач».
    Failing,
    /// At least one «н/а» and no debt.
    NotAssessed,
    /// Some final is not set yet, nothing else decides the outcome.
    Missing,
    /// Only «осв» and «безотм», or no subjects: not assessed by design.
    Excluded,
}

impl StudentOutcome {
    /// Folds a student's finals, `None` standing for a final not set yet.
    /// A debt outweighs «н/а», which outweighs a gap, which outweighs the
    /// level: the worst fact about a student decides the line they are on.
    pub fn of(finals: impl IntoIterator<Item = Option<FinalValue>>) -> StudentOutcome {
        let mut failing = false;
        let mut not_assessed = false;
        let mut missing = false;
        let mut passed = false;
        let mut lowest: Option<u8> = None;
        for final_value in finals {
            match final_value {
                None => missing = true,
                Some(value) if value.is_unsatisfactory() => failing = true,
                Some(FinalValue::NotAssessed) => not_assessed = true,
                Some(FinalValue::Pass) => passed = true,
                Some(FinalValue::Point(n)) => lowest = Some(lowest.map_or(n, |l| l.min(n))),
                Some(_) => {}
            }
        }
        if failing {
            StudentOutcome::Failing
        } else if not_assessed {
            StudentOutcome::NotAssessed
        } else if missing {
            StudentOutcome::Missing
        } else {
            match lowest {
                Some(5) => StudentOutcome::Excellent,
                Some(4) => StudentOutcome::Good,
                Some(_) => StudentOutcome::Satisfactory,
                None if passed => StudentOutcome::Passed,
                None => StudentOutcome::Excluded,
            }
        }
    }

    pub fn is_success(self) -> bool {
        matches!(
            self,
            StudentOutcome::Excellent | StudentOutcome::Good | StudentOutcome::Satisfactory | StudentOutcome::Passed
        )
    }

    pub fn is_quality(self) -> bool {
        matches!(self, StudentOutcome::Excellent | StudentOutcome::Good)
    }
}

/// Class results for a period (REQUIREMENTS §4): how many students ended on
/// each line, the success rate and the quality of knowledge.
///
/// Counting rules:
/// - the denominator is the students on the roll minus the `excluded` ones
///   (only «осв»/«безотм»): they were never to be assessed;
/// - «н/а» stays in the denominator and is not a success: the student did
///   not master the programme in the period;
/// - a missing final stays in the denominator and is not a success, so a
///   report run before all finals are in shows the gap (`missing`) instead
///   of an inflated rate;
/// - «зач» is a success but not quality; across all subjects it is neutral,
///   so a student with «5» everywhere and «зач» in one subject is excellent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalsSummary {
    /// Students on the roll.
    pub students: usize,
    pub excellent: usize,
    pub good: usize,
    pub satisfactory: usize,
    pub passed: usize,
    pub failing: usize,
    pub not_assessed: usize,
    pub missing: usize,
    pub excluded: usize,
}

impl FinalsSummary {
    /// One subject: one entry per student on the roll, `None` where the
    /// final is not set yet.
    pub fn for_subject(finals: impl IntoIterator<Item = Option<FinalValue>>) -> FinalsSummary {
        FinalsSummary::from_outcomes(finals.into_iter().map(|f| StudentOutcome::of([f])))
    }

    /// All subjects: per student on the roll, that student's finals in every
    /// subject of the curriculum (`None` where not set yet).
    pub fn for_students<S>(students: impl IntoIterator<Item = S>) -> FinalsSummary
    where
        S: IntoIterator<Item = Option<FinalValue>>,
    {
        FinalsSummary::from_outcomes(students.into_iter().map(StudentOutcome::of))
    }

    pub fn from_outcomes(outcomes: impl IntoIterator<Item = StudentOutcome>) -> FinalsSummary {
        let mut summary = FinalsSummary::default();
        for outcome in outcomes {
            summary.students += 1;
            let line = match outcome {
                StudentOutcome::Excellent => &mut summary.excellent,
                StudentOutcome::Good => &mut summary.good,
                StudentOutcome::Satisfactory => &mut summary.satisfactory,
                StudentOutcome::Passed => &mut summary.passed,
                StudentOutcome::Failing => &mut summary.failing,
                StudentOutcome::NotAssessed => &mut summary.not_assessed,
                StudentOutcome::Missing => &mut summary.missing,
                StudentOutcome::Excluded => &mut summary.excluded,
            };
            *line += 1;
        }
        summary
    }

    /// The denominator of both rates.
    pub fn counted(&self) -> usize {
        self.students - self.excluded
    }

    pub fn successful(&self) -> usize {
        self.excellent + self.good + self.satisfactory + self.passed
    }

    pub fn of_quality(&self) -> usize {
        self.excellent + self.good
    }

    /// Успеваемость, %: finals of «3» and above or «зач» over counted
    /// students. `None` when nobody is counted.
    pub fn success_rate(&self) -> Option<f64> {
        percent(self.successful(), self.counted())
    }

    /// Качество знаний, %: finals of «4» and «5» over counted students.
    /// `None` when nobody is counted, and when every success is a «зач» (a
    /// pass/fail subject): quality does not apply there, and 0 % would read
    /// as a verdict.
    pub fn quality_rate(&self) -> Option<f64> {
        let has_levels = self.excellent + self.good + self.satisfactory > 0 || self.passed == 0;
        if has_levels { percent(self.of_quality(), self.counted()) } else { None }
    }
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// What went wrong with a mark, a final or a scale; every message says what
/// to type instead.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum GradeError {
    #[error("Отметка «{text}» не входит в {}: {}", system.in_phrase(), system.entry_hint())]
    NotInSystem { text: String, system: GradingSystem },
    #[error("Отметка не введена: {}", system.entry_hint())]
    EmptyMark { system: GradingSystem },
    #[error("Итоговая отметка «{text}» не распознана: введите 1–5, «зач», «незач», «осв», «н/а» или «безотм»")]
    UnknownFinal { text: String },
    #[error("Итоговая «{text}» не подходит: предмет оценивается по системе «{}», {}", system.title(), system.entry_hint())]
    FinalNotInSystem { text: String, system: GradingSystem },
    #[error(
        "Неверная шкала перевода стобалльных результатов ({three_from}/{four_from}/{five_from}): \
         нужно 0 < порог «3» < порог «4» < порог «5» ≤ 100"
    )]
    InvalidScale { five_from: u8, four_from: u8, three_from: u8 },
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn grading_system_codes_round_trip() {
        for system in GradingSystem::ALL {
            assert_eq!(GradingSystem::from_code(system.code()), Some(system));
            let json = serde_json::to_string(&system).unwrap();
            assert_eq!(json, format!("\"{}\"", system.code()));
            assert_eq!(serde_json::from_str::<GradingSystem>(&json).unwrap(), system);
        }
        assert_eq!(GradingSystem::default(), GradingSystem::FivePoint);
        assert_eq!(GradingSystem::from_code("ten"), None);
        assert_eq!(GradingSystem::PassFail.title(), "зачёт/незачёт");
    }

    #[test]
    fn parses_what_teachers_type() {
        use GradingSystem::*;
        assert_eq!(MarkValue::parse(FivePoint, " 5 "), Ok(MarkValue::Point(5)));
        assert_eq!(MarkValue::parse(FivePoint, "1"), Ok(MarkValue::Point(1)));
        assert_eq!(MarkValue::parse(PassFail, "зач"), Ok(MarkValue::Pass));
        assert_eq!(MarkValue::parse(PassFail, "Зачёт"), Ok(MarkValue::Pass));
        assert_eq!(MarkValue::parse(PassFail, "незач"), Ok(MarkValue::Fail));
        assert_eq!(MarkValue::parse(PassFail, "не зачтено"), Ok(MarkValue::Fail));
        assert_eq!(MarkValue::parse(Hundred, "87"), Ok(MarkValue::Hundred(87)));
        assert_eq!(MarkValue::parse(Hundred, "0"), Ok(MarkValue::Hundred(0)));
        assert_eq!(MarkValue::parse(Hundred, "100"), Ok(MarkValue::Hundred(100)));
    }

    #[test]
    fn refuses_marks_outside_the_system() {
        use GradingSystem::*;
        let err = MarkValue::parse(FivePoint, "6").unwrap_err();
        assert_eq!(err.to_string(), "Отметка «6» не входит в пятибалльную систему: введите 1–5");
        for bad in ["0", "+5", "-1", "4.5", "5-", "зач", "н", "99999999999999999999"] {
            assert!(MarkValue::parse(FivePoint, bad).is_err(), "{bad}");
        }
        for bad in ["101", "-3", "1e2", "зач"] {
            assert!(MarkValue::parse(Hundred, bad).is_err(), "{bad}");
        }
        assert_eq!(
            MarkValue::parse(PassFail, "5").unwrap_err().to_string(),
            "Отметка «5» не входит в систему «зачёт/незачёт»: введите «зач» или «незач»"
        );
        assert_eq!(
            MarkValue::parse(Hundred, "  ").unwrap_err().to_string(),
            "Отметка не введена: введите целое число от 0 до 100"
        );
    }

    #[test]
    fn marks_display_as_in_the_journal() {
        for (system, text) in [
            (GradingSystem::FivePoint, "4"),
            (GradingSystem::PassFail, "зач"),
            (GradingSystem::PassFail, "незач"),
            (GradingSystem::Hundred, "87"),
        ] {
            let mark = MarkValue::parse(system, text).unwrap();
            assert_eq!(mark.to_string(), text);
            assert_eq!(mark.system(), system);
        }
        assert_eq!(serde_json::to_string(&MarkValue::Point(5)).unwrap(), r#"{"point":5}"#);
        assert_eq!(serde_json::to_string(&MarkValue::Pass).unwrap(), r#""pass""#);
    }

    #[test]
    fn hundred_scale_boundaries() {
        let scale = HundredScale::default();
        assert_eq!((scale.five_from, scale.four_from, scale.three_from), (85, 65, 45));
        let cases = [(100, 5), (85, 5), (84, 4), (65, 4), (64, 3), (45, 3), (44, 2), (0, 2)];
        for (score, mark) in cases {
            assert_eq!(scale.to_five_point(score), mark, "{score}");
        }
        assert_eq!(MarkValue::Hundred(85).five_point(&scale), Some(5.0));
        assert_eq!(MarkValue::Hundred(44).five_point(&scale), Some(2.0));
        assert!(MarkValue::Hundred(44).is_unsatisfactory(&scale));
        assert!(!MarkValue::Hundred(45).is_unsatisfactory(&scale));
    }

    #[test]
    fn hundred_scale_must_be_ordered() {
        assert!(HundredScale::new(90, 70, 50).is_ok());
        assert!(HundredScale::default().validate().is_ok());
        for (five, four, three) in [(70, 70, 50), (50, 70, 90), (101, 70, 50), (90, 70, 0)] {
            assert!(HundredScale::new(five, four, three).is_err(), "{five}/{four}/{three}");
        }
        assert_eq!(
            HundredScale::new(50, 70, 90).unwrap_err().to_string(),
            "Неверная шкала перевода стобалльных результатов (90/70/50): нужно 0 < порог «3» < порог «4» < порог «5» ≤ 100"
        );
    }

    #[test]
    fn unsatisfactory_marks() {
        let scale = HundredScale::default();
        assert!(MarkValue::Point(2).is_unsatisfactory(&scale));
        assert!(MarkValue::Point(1).is_unsatisfactory(&scale));
        assert!(!MarkValue::Point(3).is_unsatisfactory(&scale));
        assert!(MarkValue::Fail.is_unsatisfactory(&scale));
        assert!(!MarkValue::Pass.is_unsatisfactory(&scale));
    }

    #[test]
    fn weighted_average_by_hand() {
        // 5×1 + 3×2 + 4×1 = 15 over weight 4.
        let average = weighted_average([(5.0, 1.0), (3.0, 2.0), (4.0, 1.0)]).unwrap();
        assert!(close(average, 3.75));
        assert_eq!(forecast(average), 4);
        assert_eq!(weighted_average([]), None);
        assert_eq!(weighted_average([(5.0, 0.0)]), None);
        assert_eq!(weighted_average([(5.0, 1.0), (2.0, 0.0), (1.0, -1.0), (f64::NAN, 1.0)]), Some(5.0));
    }

    #[test]
    fn pass_fail_stays_out_of_the_average() {
        let scale = HundredScale::default();
        let marks =
            [(MarkValue::Point(5), 1.0), (MarkValue::Fail, 1.0), (MarkValue::Pass, 3.0), (MarkValue::Point(4), 1.0)];
        let pairs = marks.iter().filter_map(|(m, w)| m.five_point(&scale).map(|v| (v, *w)));
        assert!(close(weighted_average(pairs).unwrap(), 4.5));
        let only_pass_fail = [MarkValue::Pass, MarkValue::Fail];
        assert_eq!(
            weighted_average(only_pass_fail.iter().filter_map(|m| m.five_point(&scale).map(|v| (v, 1.0)))),
            None
        );
    }

    #[test]
    fn forecast_rounds_halves_up() {
        let cases = [
            (2.5, 3),
            (3.5, 4),
            (4.5, 5),
            (2.49, 2),
            (3.49, 3),
            (4.49, 4),
            (1.0, 1),
            (5.0, 5),
            (3.75, 4),
            (0.2, 1),
            (7.0, 5),
        ];
        for (average, mark) in cases {
            assert_eq!(forecast(average), mark, "{average}");
        }
        // Float noise from weighted sums: shown as «4,50», so the forecast is «5».
        assert_eq!(forecast(4.499_999_9), 5);
        assert_eq!(forecast(0.1 * 3.0 + 4.2), 5);
        assert_eq!(forecast(f64::NAN), 1);
        assert!(close(round_average(4.499_999_9), 4.5));
        assert!(close(round_average(3.666_666), 3.67));
    }

    #[test]
    fn finals_parse_and_display() {
        let spellings = [
            ("5", FinalValue::Point(5)),
            ("1", FinalValue::Point(1)),
            ("зач", FinalValue::Pass),
            ("незач", FinalValue::Fail),
            ("осв", FinalValue::Exempt),
            ("н/а", FinalValue::NotAssessed),
            ("безотм", FinalValue::Ungraded),
        ];
        for (text, value) in spellings {
            assert_eq!(FinalValue::parse(text), Ok(value));
            assert_eq!(value.to_string(), text);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<FinalValue>(&json).unwrap(), value);
        }
        assert_eq!(FinalValue::parse(" ОСВ "), Ok(FinalValue::Exempt));
        assert_eq!(FinalValue::parse("Н/А"), Ok(FinalValue::NotAssessed));
        assert_eq!(
            FinalValue::parse("6").unwrap_err().to_string(),
            "Итоговая отметка «6» не распознана: введите 1–5, «зач», «незач», «осв», «н/а» или «безотм»"
        );
        assert!(serde_json::from_str::<FinalValue>("\"0\"").is_err());
        assert!(FinalValue::parse_for(GradingSystem::PassFail, "4").is_err());
        assert!(FinalValue::parse_for(GradingSystem::FivePoint, "зач").is_err());
        assert_eq!(FinalValue::parse_for(GradingSystem::Hundred, "4"), Ok(FinalValue::Point(4)));
        assert_eq!(FinalValue::parse_for(GradingSystem::PassFail, "осв"), Ok(FinalValue::Exempt));
    }

    #[test]
    fn final_success_and_quality() {
        use FinalValue::*;
        let success: Vec<bool> = [Point(5), Point(3), Point(2), Pass, Fail, Exempt, NotAssessed, Ungraded]
            .iter()
            .map(FinalValue::is_success)
            .collect();
        assert_eq!(success, [true, true, false, true, false, false, false, false]);
        let quality: Vec<bool> = [Point(5), Point(4), Point(3), Pass].iter().map(FinalValue::is_quality).collect();
        assert_eq!(quality, [true, true, false, false]);
    }

    #[test]
    fn subject_summary_by_hand() {
        use FinalValue::*;
        // 10 on the roll: 5,5,4,4,4,3,2, н/а, осв, not set.
        // Counted 9 (осв leaves); success 6/9 = 66.67 %; quality 5/9 = 55.56 %.
        let finals = [
            Some(Point(5)),
            Some(Point(5)),
            Some(Point(4)),
            Some(Point(4)),
            Some(Point(4)),
            Some(Point(3)),
            Some(Point(2)),
            Some(NotAssessed),
            Some(Exempt),
            None,
        ];
        let summary = FinalsSummary::for_subject(finals);
        assert_eq!(summary.students, 10);
        assert_eq!((summary.excellent, summary.good, summary.satisfactory), (2, 3, 1));
        assert_eq!((summary.failing, summary.not_assessed, summary.missing, summary.excluded), (1, 1, 1, 1));
        assert_eq!(summary.counted(), 9);
        assert!(close(summary.success_rate().unwrap(), 600.0 / 9.0));
        assert!(close(summary.quality_rate().unwrap(), 500.0 / 9.0));
    }

    #[test]
    fn class_summary_over_all_subjects() {
        use FinalValue::*;
        let students = vec![
            // «5» everywhere and «зач»: excellent.
            vec![Some(Point(5)), Some(Point(5)), Some(Pass)],
            // One «4»: good.
            vec![Some(Point(5)), Some(Point(4)), Some(Pass)],
            // One «3»: satisfactory.
            vec![Some(Point(3)), Some(Point(5)), Some(Exempt)],
            // «незач» is a debt even with «5» elsewhere.
            vec![Some(Point(5)), Some(Point(5)), Some(Fail)],
            // Not set yet.
            vec![Some(Point(5)), None, Some(Pass)],
        ];
        let summary = FinalsSummary::for_students(students);
        assert_eq!(
            (summary.excellent, summary.good, summary.satisfactory, summary.failing, summary.missing),
            (1, 1, 1, 1, 1)
        );
        assert!(close(summary.success_rate().unwrap(), 60.0));
        assert!(close(summary.quality_rate().unwrap(), 40.0));
    }

    #[test]
    fn rates_without_a_denominator_or_a_level() {
        use FinalValue::*;
        assert_eq!(FinalsSummary::for_subject([]).success_rate(), None);
        let all_exempt = FinalsSummary::for_subject([Some(Exempt), Some(Ungraded)]);
        assert_eq!((all_exempt.counted(), all_exempt.success_rate()), (0, None));
        let pass_fail = FinalsSummary::for_subject([Some(Pass), Some(Pass), Some(Fail), Some(Pass)]);
        assert!(close(pass_fail.success_rate().unwrap(), 75.0));
        assert_eq!(pass_fail.quality_rate(), None);
        let all_failing = FinalsSummary::for_subject([Some(Point(2)), Some(NotAssessed)]);
        assert_eq!(all_failing.quality_rate(), Some(0.0));
        assert_eq!(StudentOutcome::of([]), StudentOutcome::Excluded);
    }

    #[test]
    fn mark_quota_follows_weekly_hours() {
        assert_eq!(min_marks_for_final(0.5), 3);
        assert_eq!(min_marks_for_final(weekly_hours(34.0)), 3);
        assert_eq!(min_marks_for_final(1.5), 5);
        assert_eq!(min_marks_for_final(weekly_hours(68.0)), 5);
        assert_eq!(min_marks_for_final(weekly_hours(102.0)), 7);
        assert_eq!(min_marks_for_final(5.0), 7);
        assert!(justified_by_marks(PeriodKind::Quarter));
        assert!(!justified_by_marks(PeriodKind::Year));
    }

    #[test]
    fn warnings_before_finals() {
        use FinalValue::*;
        assert_eq!(
            final_warning(Point(3), Some(3.75)),
            Some(FinalWarning::BelowForecast { intended: 3, forecast: 4, average: 3.75 })
        );
        assert_eq!(final_warning(Point(4), Some(3.75)), None);
        assert_eq!(final_warning(Point(5), Some(3.75)), None);
        assert_eq!(
            final_warning(Point(4), Some(4.499_999_9)).map(|w| matches!(w, FinalWarning::BelowForecast { .. })),
            Some(true)
        );
        assert_eq!(final_warning(Point(4), None), Some(FinalWarning::NoMarks));
        assert_eq!(final_warning(NotAssessed, None), None);
        assert_eq!(final_warning(Pass, None), None);
        assert_eq!(too_few_marks(2, 1.0), Some(FinalWarning::TooFewMarks { have: 2, need: 3 }));
        assert_eq!(too_few_marks(3, 1.0), None);
        assert_eq!(too_few_marks(0, 1.0), Some(FinalWarning::TooFewMarks { have: 0, need: 3 }));
        assert_eq!(final_warnings(Point(4), None, 0, 1.0), vec![FinalWarning::NoMarks]);
        assert_eq!(final_warnings(Pass, None, 1, 1.0), vec![FinalWarning::TooFewMarks { have: 1, need: 3 }]);
        assert_eq!(
            final_warnings(Point(3), Some(3.75), 4, 2.0),
            vec![
                FinalWarning::BelowForecast { intended: 3, forecast: 4, average: 3.75 },
                FinalWarning::TooFewMarks { have: 4, need: 5 }
            ]
        );
        assert!(final_warnings(Exempt, Some(3.75), 1, 2.0).is_empty());
        assert_eq!(
            FinalWarning::BelowForecast { intended: 3, forecast: 4, average: 3.75 }.to_string(),
            "Итоговая «3» ниже прогноза «4» (средний балл 3,75): известите родителей и объясните причину \
             не позднее чем за 3 урока до конца периода"
        );
    }

    proptest! {
        #[test]
        fn average_lies_between_min_and_max(marks in prop::collection::vec((1u8..=5, 0.1f64..10.0), 1..40)) {
            let average = weighted_average(marks.iter().map(|&(m, w)| (f64::from(m), w))).unwrap();
            let min = f64::from(*marks.iter().map(|(m, _)| m).min().unwrap());
            let max = f64::from(*marks.iter().map(|(m, _)| m).max().unwrap());
            prop_assert!(average >= min - 1e-9 && average <= max + 1e-9);
            let expected = forecast(average);
            prop_assert!(expected >= min as u8 && expected <= max as u8);
        }

        #[test]
        fn forecast_is_monotonic(a in 1.0f64..=5.0, b in 1.0f64..=5.0) {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(forecast(low) <= forecast(high));
        }

        #[test]
        fn finals_round_trip_their_spelling(n in 1u8..=5) {
            prop_assert_eq!(FinalValue::parse(&FinalValue::Point(n).to_string()), Ok(FinalValue::Point(n)));
        }
    }
}
