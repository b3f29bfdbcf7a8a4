//! A page as SVG, for the app's print preview: the same laid-out page the
//! PDF is written from, so the preview shows exactly what will print, and
//! the app needs no PDF renderer.

use crate::canvas::Item;
use crate::render::Document;
use std::fmt::Write;

impl Document {
    /// Page `index` (from 0) as a standalone SVG in millimetres, or None past the end.
    pub fn page_svg(&self, index: usize) -> Option<String> {
        let page = self.pages.get(index)?;
        let (w, h) = page.orientation.size();
        let mut svg = String::with_capacity(page.items.len() * 96);
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}mm" height="{h}mm" font-family="Liberation Sans, Arial, sans-serif"><rect width="{w}" height="{h}" fill="white"/>"#
        );
        for item in &page.items {
            let _ = match item {
                Item::Shade { x, y, w, h } => {
                    write!(svg, r##"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="#e6e6e6"/>"##)
                }
                Item::Line { x1, y1, x2, y2, width } => write!(
                    svg,
                    r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" stroke="black" stroke-width="{:.3}"/>"#,
                    width * crate::fonts::MM_PER_PT
                ),
                Item::Text { x, y, size, bold, text } => write!(
                    svg,
                    r#"<text x="{x:.2}" y="{y:.2}" font-size="{:.2}"{}>{}</text>"#,
                    size * crate::fonts::MM_PER_PT,
                    if *bold { r#" font-weight="bold""# } else { "" },
                    escape(text)
                ),
            };
        }
        svg.push_str("</svg>");
        Some(svg)
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
