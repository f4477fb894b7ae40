//! Trend charts as SVG or PNG: a line per query over time (a gap where a
//! bucket has no documents), or grouped bars for authorities, types and
//! judgements. The font is compiled in (DejaVu Sans), so no system library
//! or installed font is needed. In the SVG every point carries a `<title>`
//! with the counts behind it, shown as a tooltip.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use crate::analysis::trend::Trend;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// Nothing to draw.
    #[error("nothing to plot: no bucket has a document")]
    Empty,
    /// The drawing backend failed.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The image could not be written.
    #[error("cannot write the chart: {0}")]
    Io(#[from] std::io::Error),
}

/// Chart size in pixels.
const SIZE: (u32, u32) = (1000, 560);

/// Line and bar colours (colour-blind safe, Okabe–Ito).
const PALETTE: &[RGBColor] = &[
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are DejaVu Sans, a valid font: registering cannot fail.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

fn draw_err<E: std::fmt::Debug>(e: E) -> PlotError {
    PlotError::Draw(format!("{e:?}"))
}

/// A point's tooltip: where it is, and the counts behind it.
struct Tip {
    x: i32,
    y: i32,
    text: String,
}

fn is_time(trend: &Trend) -> bool {
    trend.by == "year" || trend.by == "month"
}

/// Buckets shown: all of a time axis; the `top` largest otherwise ("(none)" left out).
fn shown_buckets(trend: &Trend, top: usize) -> Vec<usize> {
    if is_time(trend) {
        return (0..trend.buckets.len())
            .filter(|&i| trend.buckets[i].key != crate::analysis::facets::NONE)
            .collect();
    }
    let mut idx: Vec<usize> = (0..trend.buckets.len())
        .filter(|&i| trend.buckets[i].key != crate::analysis::facets::NONE)
        .collect();
    // Most matching documents for the first query first, then bucket size.
    idx.sort_by(|&a, &b| {
        let m = |i: usize| trend.buckets[i].cells.first().map_or(0, |c| c.documents);
        m(b).cmp(&m(a))
            .then(trend.buckets[b].documents.cmp(&trend.buckets[a].documents))
            .then(a.cmp(&b))
    });
    idx.truncate(top.max(1));
    idx
}

fn tip_text(trend: &Trend, bucket: usize, query: usize) -> String {
    let b = &trend.buckets[bucket];
    let c = &b.cells[query];
    format!(
        "{} · {}: {} of {} documents ({:.1}%), {} passages",
        b.key,
        trend.queries[query],
        c.documents,
        b.documents,
        c.share.unwrap_or(0.0) * 100.0,
        c.passages
    )
}

fn title(trend: &Trend) -> String {
    let what = if trend.queries.len() == 1 {
        trend.queries[0].clone()
    } else {
        format!("{} queries", trend.queries.len())
    };
    format!("Documents matching {what}, by {}", trend.by)
}

/// Draw the chart on any backend; returns the tooltips' pixel positions.
fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    trend: &Trend,
    top: usize,
) -> Result<Vec<Tip>, PlotError>
where
    DB::ErrorType: 'static,
{
    let shown = shown_buckets(trend, top);
    if shown.is_empty() || shown.iter().all(|&i| trend.buckets[i].documents == 0) {
        return Err(PlotError::Empty);
    }
    root.fill(&WHITE).map_err(draw_err)?;
    // The legend goes under the chart, where it can hide no point.
    let per_row = 3;
    let legend_rows = trend.queries.len().div_ceil(per_row) as u32;
    let (_, height) = root.dim_in_pixel();
    let (chart_area, legend) = root.split_vertically(height.saturating_sub(16 + 24 * legend_rows));
    let max_share = shown
        .iter()
        .flat_map(|&i| trend.buckets[i].cells.iter().filter_map(|c| c.share))
        .fold(0.0f64, f64::max);
    let top_pct = ((max_share * 100.0 / 10.0).ceil() * 10.0).clamp(10.0, 100.0);
    let tips = if is_time(trend) {
        draw_lines(&chart_area, trend, &shown, top_pct)?
    } else {
        draw_bars(&chart_area, trend, &shown, top_pct)?
    };
    for (q, name) in trend.queries.iter().enumerate() {
        let x = 80 + (q % per_row) as i32 * 300;
        let y = 12 + (q / per_row) as i32 * 24;
        let col = color(q);
        legend
            .draw(&Rectangle::new([(x, y - 6), (x + 28, y + 6)], col.filled()))
            .map_err(draw_err)?;
        let label: String = name.chars().take(36).collect();
        legend
            .draw(&Text::new(label, (x + 36, y - 8), ("sans-serif", 15)))
            .map_err(draw_err)?;
    }
    root.present().map_err(draw_err)?;
    Ok(tips)
}

const Y_DESC: &str = "% of the bucket's documents with a match";

/// Over time: a line per query, a gap where a bucket has no documents.
fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    trend: &Trend,
    shown: &[usize],
    top_pct: f64,
) -> Result<Vec<Tip>, PlotError>
where
    DB::ErrorType: 'static,
{
    let n = shown.len();
    let labels: Vec<String> = shown
        .iter()
        .map(|&i| trend.buckets[i].key.clone())
        .collect();
    let mut chart = ChartBuilder::on(area)
        .caption(
            title(trend),
            ("sans-serif", 22).into_font().style(FontStyle::Bold),
        )
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..top_pct)
        .map_err(draw_err)?;
    let label_every = n.div_ceil(16).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .x_labels(n.min(40))
        .x_label_formatter(&|x| {
            let i = x.round();
            let ok = (x - i).abs() < 0.01 && i >= 0.0 && (i as usize) < n;
            if ok && (i as usize).is_multiple_of(label_every) {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .y_desc(Y_DESC)
        .x_desc(trend.by.as_str())
        .axis_desc_style(("sans-serif", 15))
        .label_style(("sans-serif", 13))
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .draw()
        .map_err(draw_err)?;
    let mut tips = Vec::new();
    for q in 0..trend.queries.len() {
        let col = color(q);
        let point = |pos: usize| -> Option<(f64, f64)> {
            trend.buckets[shown[pos]].cells[q]
                .share
                .map(|s| (pos as f64, s * 100.0))
        };
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for pos in 0..n {
            match point(pos) {
                Some(p) => runs.last_mut().into_iter().for_each(|r| r.push(p)),
                None => runs.push(Vec::new()),
            }
        }
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            chart
                .draw_series(LineSeries::new(run, col.stroke_width(3)))
                .map_err(draw_err)?;
        }
        chart
            .draw_series(
                (0..n)
                    .filter_map(point)
                    .map(|p| Circle::new(p, 4, col.filled())),
            )
            .map_err(draw_err)?;
        for (pos, &bucket) in shown.iter().enumerate() {
            if let Some(p) = point(pos) {
                let (x, y) = chart.backend_coord(&p);
                tips.push(Tip {
                    x,
                    y,
                    text: tip_text(trend, bucket, q),
                });
            }
        }
    }
    Ok(tips)
}

/// By authority, type or judgement: a bar per query and bucket, bucket names down the side.
fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    trend: &Trend,
    shown: &[usize],
    top_pct: f64,
) -> Result<Vec<Tip>, PlotError>
where
    DB::ErrorType: 'static,
{
    let n = shown.len();
    // The first bucket at the top.
    let row = |pos: usize| (n - 1 - pos) as f64;
    let labels: Vec<String> = shown
        .iter()
        .map(|&i| trend.buckets[i].key.chars().take(30).collect())
        .collect();
    let mut chart = ChartBuilder::on(area)
        .caption(
            title(trend),
            ("sans-serif", 22).into_font().style(FontStyle::Bold),
        )
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(230)
        .build_cartesian_2d(0f64..top_pct, -0.5f64..(n as f64 - 0.5))
        .map_err(draw_err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .y_labels(n)
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() > 0.01 || i < 0.0 || (i as usize) >= n {
                return String::new();
            }
            labels[n - 1 - i as usize].clone()
        })
        .x_desc(Y_DESC)
        .axis_desc_style(("sans-serif", 15))
        .label_style(("sans-serif", 13))
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .draw()
        .map_err(draw_err)?;
    let queries = trend.queries.len();
    let band = 0.8 / queries as f64;
    let mut tips = Vec::new();
    for q in 0..queries {
        let col = color(q);
        let low = |pos: usize| row(pos) + 0.4 - band * (q + 1) as f64;
        let bars: Vec<(usize, f64)> = (0..n)
            .filter_map(|pos| {
                trend.buckets[shown[pos]].cells[q]
                    .share
                    .map(|s| (pos, s * 100.0))
            })
            .collect();
        chart
            .draw_series(bars.iter().map(|&(pos, pct)| {
                Rectangle::new(
                    [(0.0, low(pos)), (pct, low(pos) + band * 0.9)],
                    col.filled(),
                )
            }))
            .map_err(draw_err)?;
        for &(pos, pct) in &bars {
            let (x, y) = chart.backend_coord(&(pct, low(pos) + band * 0.45));
            tips.push(Tip {
                x,
                y,
                text: tip_text(trend, shown[pos], q),
            });
        }
    }
    Ok(tips)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as an SVG document, each point with a `<title>` tooltip.
pub fn svg(trend: &Trend, top: usize) -> Result<String, PlotError> {
    register_font();
    let mut out = String::new();
    let tips = {
        let root = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw(root, trend, top)?
    };
    // Invisible targets over the points: hovering one shows its counts.
    let mut overlay = String::from("<g class=\"tooltips\">");
    for t in tips {
        overlay.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"9\" fill=\"#000\" fill-opacity=\"0\"><title>{}</title></circle>",
            t.x,
            t.y,
            escape(&t.text)
        ));
    }
    overlay.push_str("</g>");
    match out.rfind("</svg>") {
        Some(at) => out.insert_str(at, &overlay),
        None => {
            return Err(PlotError::Draw(
                "the SVG backend wrote no closing tag".into(),
            ))
        }
    }
    Ok(out)
}

/// Write the chart to `path`: SVG for `.svg`, PNG otherwise.
pub fn write(trend: &Trend, path: &std::path::Path, top: usize) -> Result<(), PlotError> {
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        std::fs::write(path, svg(trend, top)?)?;
        return Ok(());
    }
    register_font();
    let root = BitMapBackend::new(path, SIZE).into_drawing_area();
    draw(root, trend, top)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::trend::{Bucket, Cell};

    fn sample() -> Trend {
        let cell = |d: usize, of: usize| Cell {
            documents: d,
            passages: d * 2,
            share: (of > 0).then(|| d as f64 / of as f64),
        };
        Trend {
            by: "year".into(),
            queries: vec!["\"management oversight\"".into(), "neglect".into()],
            buckets: vec![
                Bucket {
                    key: "2019".into(),
                    documents: 10,
                    cells: vec![cell(4, 10), cell(2, 10)],
                },
                Bucket {
                    key: "2020".into(),
                    documents: 0,
                    cells: vec![cell(0, 0), cell(0, 0)],
                },
                Bucket {
                    key: "2021".into(),
                    documents: 8,
                    cells: vec![cell(6, 8), cell(1, 8)],
                },
            ],
            notes: Vec::new(),
        }
    }

    #[test]
    fn svg_has_a_tooltip_per_point_and_escapes_queries() {
        let svg = svg(&sample(), 20).unwrap();
        assert_eq!(
            svg.matches("<title>").count(),
            4,
            "no point for the empty year"
        );
        assert!(svg.contains(
            "2019 · &quot;management oversight&quot;: 4 of 10 documents (40.0%), 8 passages"
        ));
        assert!(svg.contains("Documents matching 2 queries, by year"));
    }

    #[test]
    fn png_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.png");
        write(&sample(), &path, 20).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"));
    }
}
