//! One designer file being checked: line numbers, TOML parsing that recovers from syntax errors,
//! which lines can be trusted after one, and the problems found so far.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A problem found in one file, before it is given the file's path.
pub(super) struct Found {
    pub line: usize,
    /// Byte offset, so that problems on one line keep their order in the text.
    pub offset: usize,
    pub message: String,
}

/// The line index of one file, the lines that may not be trusted, and the problems found in it.
pub(super) struct FileCheck {
    line_starts: Vec<usize>,
    len: usize,
    /// Line ranges (1-based, end exclusive) from a syntax error to the end of its table, which
    /// recovery may have misread: nothing that touches them is checked.
    untrusted: Vec<Range<usize>>,
    found: Vec<Found>,
    /// What `check-data` points out without refusing the data (a missing translation).
    warnings: Vec<Found>,
}

impl FileCheck {
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
        Self { line_starts, len: text.len(), untrusted: Vec::new(), found: Vec::new(), warnings: Vec::new() }
    }

    /// The 1-based line of a byte offset (an offset at the very end counts as the last line).
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len.saturating_sub(1));
        self.line_starts.partition_point(|&start| start <= offset)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn report(&mut self, offset: usize, message: impl Into<String>) {
        let found = self.found_at(offset, message.into());
        self.found.push(found);
    }

    /// A warning: shown by `check-data`, but the data loads.
    pub fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let found = self.found_at(offset, message.into());
        self.warnings.push(found);
    }

    fn found_at(&self, offset: usize, message: String) -> Found {
        let line = self.line(offset);
        // Messages quote designer text, which may hold line breaks: keep each problem one line.
        let message = message
            .chars()
            .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
            .collect();
        Found { line, offset, message }
    }

    /// Whether a syntax error may have hidden or garbled part of this file.
    pub fn damaged(&self) -> bool {
        !self.untrusted.is_empty()
    }

    /// Whether the text in `span` was read without doubt. An empty span is a value the parser
    /// made up while recovering from a syntax error.
    pub fn trusted(&self, span: Range<usize>) -> bool {
        if span.is_empty() {
            return false;
        }
        let (first, last) = (self.line(span.start), self.line(span.end - 1));
        self.untrusted.iter().all(|bad| last < bad.start || first >= bad.end)
    }

    /// Reports a syntax error that may have thrown the parser off (unless this line already has
    /// one) and marks its lines up to `last` (a byte offset) untrusted.
    fn report_derailing(&mut self, offset: usize, last: usize, error: &toml::de::Error) {
        let line = self.line(offset);
        if !self.found.iter().any(|found| found.line == line) {
            self.report(offset, format!("syntax error: {}", error.message()));
        }
        self.untrusted.push(line..self.line(last) + 1);
    }

    /// The problems, then the warnings.
    pub fn into_found(self) -> (Vec<Found>, Vec<Found>) {
        (self.found, self.warnings)
    }
}

/// Parses `text` and reports its syntax errors. When an error may have thrown the parser off, the
/// text is parsed again piece by piece, a piece starting at each `[header]` line with the rest
/// masked out, so an error hides nothing outside its own table. In a piece, only the first such
/// error is reported (the next ones are likely its echoes), at the line where an unclosed value
/// opens, and the lines from there to the end of the piece are marked untrusted. `pieces` keeps
/// the masked copies alive for as long as the returned document borrows them.
pub(super) fn parse<'x>(text: &'x str, pieces: &'x mut Vec<String>, check: &mut FileCheck) -> DeTable<'x> {
    let (document, errors) = DeTable::parse_recoverable(text);
    let Some((derailed, derailing)) = first_derailing(&errors) else {
        report_in_step(text, &errors, usize::MAX, check);
        return document.into_inner();
    };
    report_in_step(text, &errors, derailed, check);
    let bounds = piece_bounds(text);
    *pieces = bounds.iter().map(|piece| masked(text, piece.clone())).collect();
    let pieces: &'x Vec<String> = pieces;
    let mut root = DeTable::new();
    for (piece, masked) in bounds.iter().zip(pieces) {
        let (document, errors) = DeTable::parse_recoverable(masked);
        let document = document.into_inner();
        let Some((offset, error)) = first_derailing(&errors) else {
            report_in_step(text, &errors, usize::MAX, check);
            merge(&mut root, document);
            continue;
        };
        report_in_step(text, &errors, offset, check);
        let last = piece.end.saturating_sub(1);
        let offset = opening(document.values(), offset.min(last)).unwrap_or(offset.min(last));
        check.report_derailing(offset, last, error);
        merge(&mut root, document);
    }
    if check.untrusted.is_empty() {
        // Splitting the text made the error go away (it spanned pieces): trust nothing after it.
        check.report_derailing(derailed, text.len(), derailing);
    }
    root
}

/// The first error that may have thrown the parser off, with its offset.
fn first_derailing(errors: &[toml::de::Error]) -> Option<(usize, &toml::de::Error)> {
    errors
        .iter()
        .filter(|error| !keeps_parser_in_step(error))
        .map(|error| (error.span().map_or(0, |span| span.start), error))
        .min_by_key(|&(offset, _)| offset)
}

/// Reports the errors before `until` that were found with the parser in step with the text (a
/// key written twice), the first on each line.
fn report_in_step(text: &str, errors: &[toml::de::Error], until: usize, check: &mut FileCheck) {
    for error in errors.iter().filter(|error| keeps_parser_in_step(error)) {
        let offset = error.span().map_or(0, |span| span.start);
        let line = check.line(offset);
        if offset >= until || check.found.iter().any(|found| found.line == line) {
            continue;
        }
        let message = if error.message().starts_with("duplicate key") {
            format!("duplicate key `{}` in this table", key_at(text, error.span()))
        } else {
            format!("syntax error: {}", error.message())
        };
        check.report(offset, message);
    }
}

/// Errors about a repeated key are found after the text around them was read correctly.
fn keeps_parser_in_step(error: &toml::de::Error) -> bool {
    let message = error.message();
    message.starts_with("duplicate key") || message.starts_with("cannot extend")
}

/// Where the outermost value that runs over `offset` opens: an unclosed string, array or inline
/// table is reported on the line where it starts, not where the parser gave up.
fn opening<'v, 'x: 'v>(values: impl Iterator<Item = &'v toml::Spanned<DeValue<'x>>>, offset: usize) -> Option<usize> {
    let inner = |value: &'v toml::Spanned<DeValue<'x>>| {
        let span = value.span();
        if span.start < offset && offset <= span.end {
            return Some(span.start);
        }
        match value.get_ref() {
            DeValue::Table(table) => opening(table.values(), offset),
            DeValue::Array(array) => opening(array.iter(), offset),
            _ => None,
        }
    };
    values.filter_map(inner).min()
}

fn key_at(text: &str, span: Option<Range<usize>>) -> &str {
    span.and_then(|span| text.get(span)).map_or("", |key| key.trim_matches(['"', '\'']))
}

/// Byte ranges of the pieces of `text`: one before the first `[header]` line, then one per header.
fn piece_bounds(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > 0 && line.trim_start().starts_with('[') {
            starts.push(at);
        }
        at += line.len();
    }
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    starts.iter().zip(ends).map(|(&start, end)| start..end).collect()
}

/// `text` up to the end of `piece`, with everything before the piece blanked out byte for byte,
/// so offsets in the copy are offsets in the file.
fn masked(text: &str, piece: Range<usize>) -> String {
    let blank = text.as_bytes()[..piece.start].iter().map(|&b| if b == b'\n' { '\n' } else { ' ' });
    blank.chain(text[piece].chars()).collect()
}

/// Adds one piece's keys to the whole document: `[[array]]` tables from pieces are appended, and
/// a sub-table header (`[[zones.drops]]`, `[items.contains]`) goes into the last table of its
/// parent array, as TOML reads it in one piece.
fn merge<'x>(root: &mut DeTable<'x>, piece: DeTable<'x>) {
    for (key, value) in piece {
        let name: &str = key.get_ref();
        match root.get_mut(name) {
            Some(existing) => merge_value(existing.get_mut(), value.into_inner()),
            None => {
                root.insert(key, value);
            }
        }
    }
}

fn merge_value<'x>(existing: &mut DeValue<'x>, more: DeValue<'x>) {
    match (existing, more) {
        (DeValue::Array(all), DeValue::Array(more)) => {
            for value in more {
                all.push(value);
            }
        }
        (DeValue::Array(all), DeValue::Table(more)) => {
            if let Some(DeValue::Table(last)) = all.last_mut().map(|last| last.get_mut()) {
                merge(last, more);
            }
        }
        (DeValue::Table(table), DeValue::Table(more)) => merge(table, more),
        _ => {}
    }
}
