//! Pages as lists of things to draw, in millimetres from the top-left
//! corner (the way a page is read); `render` turns them into PDF.

use crate::fonts::{FONTS, MM_PER_PT};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    /// Width and height of an A4 sheet in this orientation, mm.
    pub fn size(self) -> (f32, f32) {
        match self {
            Orientation::Portrait => (210.0, 297.0),
            Orientation::Landscape => (297.0, 210.0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Clone, Debug)]
pub enum Item {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    /// A light grey fill (header cells, a left student's row).
    Shade {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

#[derive(Clone, Debug)]
pub struct Page {
    pub orientation: Orientation,
    pub items: Vec<Item>,
}

/// Space kept clear at every edge, mm.
pub const MARGIN: f32 = 12.0;

impl Page {
    pub fn new(orientation: Orientation) -> Page {
        Page { orientation, items: Vec::new() }
    }

    pub fn width(&self) -> f32 {
        self.orientation.size().0
    }

    pub fn height(&self) -> f32 {
        self.orientation.size().1
    }

    /// The width between the margins.
    pub fn inner_width(&self) -> f32 {
        self.width() - 2.0 * MARGIN
    }

    pub fn text(&mut self, x: f32, baseline: f32, size: f32, bold: bool, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.items.push(Item::Text { x, y: baseline, size, bold, text });
        }
    }

    /// One line of text placed in the span `x..x + width` by `align`.
    // A drawing primitive: where, how big, how aligned, what.
    #[allow(clippy::too_many_arguments)]
    pub fn text_aligned(&mut self, x: f32, width: f32, baseline: f32, size: f32, bold: bool, align: Align, text: &str) {
        let w = FONTS.width(text, size, bold);
        let x = match align {
            Align::Left => x,
            Align::Center => x + (width - w) / 2.0,
            Align::Right => x + width - w,
        };
        self.text(x, baseline, size, bold, text);
    }

    /// Wrapped text from `top` down; returns the height it took, mm.
    pub fn paragraph(&mut self, x: f32, top: f32, width: f32, size: f32, bold: bool, text: &str) -> f32 {
        let lines = FONTS.wrap(text, width, size, bold);
        let leading = line_height(size);
        for (i, line) in lines.iter().enumerate() {
            self.text(x, top + leading * (i as f32 + 0.8), size, bold, line.clone());
        }
        leading * lines.len() as f32
    }

    /// Wrapped text centred in `x..x + width`; returns the height it took, mm.
    pub fn paragraph_centered(&mut self, x: f32, top: f32, width: f32, size: f32, bold: bool, text: &str) -> f32 {
        let lines = FONTS.wrap(text, width, size, bold);
        let leading = line_height(size);
        for (i, line) in lines.iter().enumerate() {
            self.text_aligned(x, width, top + leading * (i as f32 + 0.8), size, bold, Align::Center, line);
        }
        leading * lines.len() as f32
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.items.push(Item::Line { x1, y1, x2, y2, width });
    }

    pub fn shade(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.items.push(Item::Shade { x, y, w, h });
    }
}

/// Distance between baselines of text set at `size` points, mm.
pub fn line_height(size: f32) -> f32 {
    size * 1.2 * MM_PER_PT
}
