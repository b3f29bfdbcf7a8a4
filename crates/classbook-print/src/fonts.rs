//! The embedded font and text measuring: every width the layout needs comes
//! from the same glyph metrics that the PDF embeds, so wrapped text never
//! overflows its cell.

use printpdf::ParsedFont;
use std::sync::LazyLock;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");

/// Millimetres per typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

pub struct Fonts {
    pub regular: ParsedFont,
    pub bold: ParsedFont,
}

pub static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts { regular: parse(REGULAR_TTF), bold: parse(BOLD_TTF) });

fn parse(bytes: &[u8]) -> ParsedFont {
    // The fonts are compiled in and checked by the tests: failing to parse
    // them is a build defect, not a user error.
    ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the embedded font parses")
}

impl Fonts {
    /// The font file as compiled in.
    pub fn file(bold: bool) -> &'static [u8] {
        if bold { BOLD_TTF } else { REGULAR_TTF }
    }

    /// The face cut down to the characters of `text` (and .notdef): a
    /// journal uses ~150 of the font's 2 600 glyphs, and embedding the whole
    /// face cost 0.8 MB in every PDF. None if the font cannot be cut, in which
    /// case the caller embeds it whole.
    pub fn subset(&self, bold: bool, text: impl Iterator<Item = char>) -> Option<ParsedFont> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{CmapTarget, SubsetProfile, subset};
        let face = self.face(bold);
        let used: std::collections::BTreeSet<u16> =
            text.filter_map(|c| face.codepoint_to_glyph.get(&(c as u32)).copied()).filter(|g| *g != 0).collect();
        // .notdef first, as allsorts requires; a Unicode cmap in the subset
        // lets printpdf map characters to the new glyph ids itself.
        let ids: Vec<u16> = std::iter::once(0).chain(used).collect();
        let file = ReadScope::new(Self::file(bold)).read::<FontData<'_>>().ok()?;
        let provider = file.table_provider(0).ok()?;
        let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
    }

    pub fn face(&self, bold: bool) -> &ParsedFont {
        if bold { &self.bold } else { &self.regular }
    }

    /// The width of `text` set at `size` points, in millimetres.
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = self.face(bold);
        let units: u32 = text
            .chars()
            .map(|c| {
                face.codepoint_to_glyph
                    .get(&(c as u32))
                    .or_else(|| face.codepoint_to_glyph.get(&('?' as u32)))
                    .and_then(|gid| face.glyph_widths.get(gid))
                    .copied()
                    .unwrap_or(face.units_per_em / 2) as u32
            })
            .sum();
        units as f32 / face.units_per_em as f32 * size * MM_PER_PT
    }

    /// `text` broken into lines no wider than `width` mm: at spaces where it
    /// can, inside a word only when the word alone is too wide; the text's
    /// own line breaks are kept.
    pub fn wrap(&self, text: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size, bold) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column is cut where it must be.
                for c in word.chars() {
                    line.push(c);
                    if self.width(&line, size, bold) > width && line.chars().count() > 1 {
                        let last = line.pop().expect("two characters at least");
                        lines.push(std::mem::take(&mut line));
                        line.push(last);
                    }
                }
            }
            lines.push(line);
        }
        // Trailing empty paragraphs print nothing.
        while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_has_real_widths_and_wraps_within_the_column() {
        let fonts = &*FONTS;
        let narrow = fonts.width("ш", 10.0, false);
        assert!(narrow > 1.0 && narrow < 4.0, "width of ш at 10 pt: {narrow} mm");
        assert!(fonts.width("Ш", 10.0, true) > fonts.width("ш", 10.0, false));
        let text = "Сложение и вычитание многозначных чисел, решение текстовых задач";
        for line in fonts.wrap(text, 30.0, 8.0, false) {
            assert!(fonts.width(&line, 8.0, false) <= 30.0, "«{line}» overflows");
        }
        let long = "Электроэнцефалографический";
        let lines = fonts.wrap(long, 10.0, 8.0, false);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
    }
}
