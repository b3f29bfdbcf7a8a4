//! Laid-out pages to PDF bytes through printpdf, with the font embedded.

use crate::canvas::{Item, Page};
use crate::fonts::FONTS;
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix,
};

/// A laid-out document: its pages, ready to become a PDF (to print and
/// keep) or SVG pictures of its pages (to preview in the app).
#[derive(Clone, Debug)]
pub struct Document {
    pub title: String,
    pub(crate) pages: Vec<Page>,
}

impl Document {
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The PDF, with the font embedded.
    pub fn to_pdf(&self) -> Vec<u8> {
        let mut doc = PdfDocument::new(&self.title);
        doc.metadata.info.creator = "Classbook".to_owned();
        doc.metadata.info.producer = "Classbook (printpdf)".to_owned();
        let regular = doc.add_font(&self.font(false));
        let bold = doc.add_font(&self.font(true));
        let pdf_pages = self.pages.iter().map(|page| pdf_page(page, &regular, &bold)).collect();
        doc.with_pages(pdf_pages);
        doc.save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}

impl Document {
    /// The face to embed: cut down to the characters this document uses.
    fn font(&self, bold: bool) -> ParsedFont {
        let text = self.pages.iter().flat_map(|p| &p.items).flat_map(|item| match item {
            Item::Text { text, bold: b, .. } if *b == bold => Some(text.chars()),
            _ => None,
        });
        FONTS.subset(bold, text.flatten()).unwrap_or_else(|| FONTS.face(bold).clone())
    }
}

fn pdf_page(page: &Page, regular: &FontId, bold: &FontId) -> PdfPage {
    let height = page.height();
    // PDF measures from the bottom-left corner in points.
    let at = |x: f32, y: f32| Point::new(Mm(x), Mm(height - y));
    let mut ops = Vec::with_capacity(page.items.len() * 2 + 8);
    let black = Color::Greyscale(Greyscale { percent: 0.0, icc_profile: None });
    ops.push(Op::SetOutlineColor { col: black.clone() });

    for item in &page.items {
        match item {
            Item::Shade { x, y, w, h } => {
                ops.push(Op::SetFillColor { col: Color::Greyscale(Greyscale { percent: 0.9, icc_profile: None }) });
                let low = at(*x, *y + *h);
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: low.x,
                        y: low.y,
                        width: Mm(*w).into(),
                        height: Mm(*h).into(),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Item::Line { x1, y1, x2, y2, width } => {
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint { p: at(*x1, *y1), bezier: false },
                            LinePoint { p: at(*x2, *y2), bezier: false },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Text { .. } => {}
        }
    }

    // All text of the page in one text object, the font switched only when it changes.
    ops.push(Op::SetFillColor { col: black });
    ops.push(Op::StartTextSection);
    let mut current: Option<(bool, f32)> = None;
    for item in &page.items {
        if let Item::Text { x, y, size, bold: is_bold, text } = item {
            if current != Some((*is_bold, *size)) {
                let font = if *is_bold { bold } else { regular };
                ops.push(Op::SetFont { font: PdfFontHandle::External(font.clone()), size: Pt(*size) });
                current = Some((*is_bold, *size));
            }
            let p = at(*x, *y);
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(p.x, p.y) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(text.clone())] });
        }
    }
    ops.push(Op::EndTextSection);
    let (w, h) = page.orientation.size();
    PdfPage::new(Mm(w), Mm(h), ops)
}
