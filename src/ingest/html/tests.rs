//! Unit tests for the HTML extractor.

use super::*;

const NEWS_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Ofsted focused visit finds progress in Northshire children's services | Children &amp; Young People Now</title>
<meta property="og:title" content="Ofsted focused visit finds progress in Northshire children's services">
<meta property="og:site_name" content="Children &amp; Young People Now">
<meta property="article:published_time" content="2024-03-14T09:30:00+00:00">
<meta name="author" content="Jane Reporter">
<script>window.dataLayer = [{"page": "article"}];</script>
<style>.nav { color: red }</style>
</head>
<body class="article-page">
<div id="cookie-banner" class="cookie-consent">
  <p>We use cookies to improve your experience on our website. By continuing to browse you agree to our use of cookies.</p>
  <button>Accept all cookies</button>
</div>
<header class="site-header">
  <a href="/" class="logo">CYP Now</a>
  <nav class="main-nav"><ul>
    <li><a href="/news">News</a></li><li><a href="/social-care">Social care</a></li>
    <li><a href="/early-years">Early years</a></li><li><a href="/jobs">Jobs</a></li>
  </ul></nav>
</header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news">News</a> &gt; <a href="/news/social-care">Social care</a></div>
<main id="main">
<div class="layout">
  <article class="article">
    <h1 class="article-title">Ofsted focused visit finds progress in Northshire children's services</h1>
    <div class="byline">By <a href="/authors/jane">Jane Reporter</a> | <time datetime="2024-03-14">14 March 2024</time></div>
    <div class="share-bar"><a href="https://twitter.com/share">Share on X</a> <a href="https://facebook.com/share">Share on Facebook</a> <a href="mailto:?">Email</a></div>
    <div class="article-body">
      <p>Inspectors from Ofsted have found that Northshire County Council has made &ldquo;steady progress&rdquo; in how it supports children in need and those subject to child protection plans, following a focused visit in February.</p>
      <p>The visit, which looked at the council&#8217;s front door arrangements and assessment work, found that social workers knew their children well and that caseloads had reduced since the last full inspection in 2022.</p>
      <h2>Workforce stability improving</h2>
      <p>Inspectors noted that the council had reduced its reliance on agency social workers, with the proportion of permanent staff rising to 78 per cent, and that managers provided regular, reflective supervision.</p>
      <div class="advert"><p>Advertisement</p></div>
      <p>However, the letter said that the quality of written plans remained variable, and that some children had experienced delays in moving from early help to statutory services.</p>
      <blockquote><p>We are pleased that inspectors recognised the hard work of our staff, and we know there is more to do, said the council&#8217;s director of children&#8217;s services.</p></blockquote>
      <p>Northshire was judged to require improvement to be good at its last full inspection under the ILACS framework.</p>
    </div>
    <div class="newsletter-signup"><h3>Get our daily bulletin</h3><p>Sign up to receive the latest children's services news, analysis and jobs straight to your inbox every morning.</p><form><input type="email"><button>Subscribe</button></form></div>
    <div class="tags"><a href="/tags/ofsted">Ofsted</a> <a href="/tags/inspections">Inspections</a></div>
  </article>
  <aside class="sidebar">
    <h3>Related stories</h3>
    <ul class="related-stories">
      <li><a href="/news/1">Ofsted rates Westshire children's services good after improvement journey</a></li>
      <li><a href="/news/2">Council directors warn of rising costs of residential placements for looked-after children</a></li>
      <li><a href="/news/3">Focused visit praises Eastborough leaving care service for its support with housing and employment</a></li>
    </ul>
    <div class="promo"><p>Subscribe today and get unlimited access to expert analysis, practice guides and the jobs board for children's services professionals.</p></div>
  </aside>
</div>
<section id="comments" class="comments">
  <h3>Comments</h3>
  <div class="comment"><p class="comment-author">Concerned social worker</p><p>Good to see some progress, but caseloads in the assessment teams are still far too high in my experience, and agency use is not falling everywhere.</p></div>
  <div class="comment"><p>Written plans have been an issue for years across the region, and it is disappointing that this is still being raised by inspectors in 2024.</p></div>
</section>
</main>
<footer class="site-footer">
  <p>Copyright &copy; 2024 Example Media Ltd. All rights reserved. Registered in England and Wales, company number 01234567.</p>
  <ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms and conditions</a></li><li><a href="/contact">Contact us</a></li></ul>
</footer>
<script>console.log("tracking");</script>
</body>
</html>"##;

fn texts(a: &HtmlArticle) -> Vec<&str> {
    a.blocks.iter().map(|b| b.text.as_str()).collect()
}

#[test]
fn news_page_fixture() {
    let a = extract(NEWS_PAGE.as_bytes());
    assert_eq!(
        a.title.as_deref(),
        Some("Ofsted focused visit finds progress in Northshire children's services")
    );
    assert_eq!(a.published.as_deref(), Some("2024-03-14T09:30:00+00:00"));
    assert_eq!(a.published_date, Some((2024, 3, 14)));
    assert_eq!(a.site_name.as_deref(), Some("Children & Young People Now"));
    assert_eq!(a.author.as_deref(), Some("Jane Reporter"));
    assert_eq!(
        texts(&a),
        vec![
            "Inspectors from Ofsted have found that Northshire County Council has made \u{201c}steady progress\u{201d} in how it supports children in need and those subject to child protection plans, following a focused visit in February.",
            "The visit, which looked at the council\u{2019}s front door arrangements and assessment work, found that social workers knew their children well and that caseloads had reduced since the last full inspection in 2022.",
            "Workforce stability improving",
            "Inspectors noted that the council had reduced its reliance on agency social workers, with the proportion of permanent staff rising to 78 per cent, and that managers provided regular, reflective supervision.",
            "However, the letter said that the quality of written plans remained variable, and that some children had experienced delays in moving from early help to statutory services.",
            "We are pleased that inspectors recognised the hard work of our staff, and we know there is more to do, said the council\u{2019}s director of children\u{2019}s services.",
            "Northshire was judged to require improvement to be good at its last full inspection under the ILACS framework.",
        ]
    );
    assert_eq!(a.blocks[2].kind, BlockKind::Heading);
    assert!(a
        .blocks
        .iter()
        .enumerate()
        .all(|(i, b)| (b.kind == BlockKind::Heading) == (i == 2)));
}

#[test]
fn entities_are_decoded() {
    let html = "<html><body><article><p>Fish &amp; chips &lt;cost&gt; &pound;5&nbsp;each &#8212; &quot;cheap&quot; &#x27;really&#x27;, said the caf&eacute; owner today.</p></article></body></html>";
    let a = extract(html.as_bytes());
    assert_eq!(
        texts(&a),
        vec!["Fish & chips <cost> \u{a3}5 each \u{2014} \"cheap\" 'really', said the caf\u{e9} owner today."]
    );
}

#[test]
fn windows_1252_with_meta_charset() {
    let mut bytes =
        b"<html><head><meta charset=\"windows-1252\"></head><body><article><p>Caf".to_vec();
    bytes.push(0xE9); // e acute
    bytes.extend_from_slice(b" na");
    bytes.push(0xEF); // i diaeresis
    bytes.extend_from_slice(b"ve ");
    bytes.push(0x93); // left double quote
    bytes.extend_from_slice(b"review");
    bytes.push(0x94); // right double quote
    bytes.extend_from_slice(b" costs ");
    bytes.push(0x80); // euro
    bytes.extend_from_slice(b"10, published in the local paper.</p></article></body></html>");
    let a = extract(&bytes);
    assert_eq!(
        texts(&a),
        vec!["Caf\u{e9} na\u{ef}ve \u{201c}review\u{201d} costs \u{20ac}10, published in the local paper."]
    );
}

#[test]
fn invalid_utf8_without_charset_falls_back_to_windows_1252() {
    let mut bytes = b"<html><body><p>Caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(
        b" opens on the high street, serving breakfast and lunch daily.</p></body></html>",
    );
    let a = extract(&bytes);
    assert_eq!(
        texts(&a),
        vec!["Caf\u{e9} opens on the high street, serving breakfast and lunch daily."]
    );
}

#[test]
fn br_separated_lines_become_blocks() {
    let html = "<html><body><div class=\"content\">First line of the report text, with a comma.<br>Second line of the report text, with a comma.<br/><br/>Third  line\n of the report text, with a comma.</div></body></html>";
    let a = extract(html.as_bytes());
    assert_eq!(
        texts(&a),
        vec![
            "First line of the report text, with a comma.",
            "Second line of the report text, with a comma.",
            "Third line of the report text, with a comma.",
        ]
    );
}

#[test]
fn lists_and_tables_are_blocks() {
    let html = "<html><body><article><p>The council was asked to improve the following areas of practice, inspectors said.</p><ul><li>Quality of plans</li><li>Timeliness of assessments</li></ul><table><tr><td>Judgement</td><td>Good</td></tr><tr><td>Leadership</td><td>Outstanding</td></tr></table></article></body></html>";
    let a = extract(html.as_bytes());
    assert_eq!(
        texts(&a),
        vec![
            "The council was asked to improve the following areas of practice, inspectors said.",
            "Quality of plans",
            "Timeliness of assessments",
            "Judgement Good",
            "Leadership Outstanding",
        ]
    );
}

#[test]
fn hidden_elements_are_dropped() {
    let html = "<html><body><article><p>Visible paragraph of the article, long enough to count as content.</p><p style=\"display: none\">Hidden paragraph that should never appear in the output text.</p><p hidden>Another hidden paragraph that should never appear in output.</p><p aria-hidden=\"true\">Screen-reader hidden paragraph that should not appear.</p></article></body></html>";
    let a = extract(html.as_bytes());
    assert_eq!(
        texts(&a),
        vec!["Visible paragraph of the article, long enough to count as content."]
    );
}

#[test]
fn deep_nesting_does_not_panic() {
    let mut s = String::from("<html><body>");
    for _ in 0..100_000 {
        s.push_str("<div>");
    }
    s.push_str("<p>Deep text, still extracted correctly.</p>");
    for _ in 0..100_000 {
        s.push_str("</div>");
    }
    s.push_str("</body></html>");
    let start = std::time::Instant::now();
    let a = extract(s.as_bytes());
    assert!(start.elapsed().as_secs() < 30);
    assert!(a.blocks.len() <= 1);
}

#[test]
fn million_empty_elements_complete() {
    let mut s = String::from("<html><body>");
    for _ in 0..1_000_000 {
        s.push_str("<span></span>");
    }
    s.push_str("</body></html>");
    let start = std::time::Instant::now();
    let a = extract(s.as_bytes());
    assert!(start.elapsed().as_secs() < 30);
    assert!(a.blocks.is_empty());
}

#[test]
fn empty_and_garbage_input() {
    assert_eq!(extract(b""), HtmlArticle::default());
    assert_eq!(extract(b"   \n "), HtmlArticle::default());
    let a = extract(b"<<<>>><!--");
    assert!(a.blocks.is_empty());
    let _ = extract(&[0xFF, 0xFE, 0x00, 0xD8]);
    let _ = extract(b"<html><head><meta charset=\"bogus\"></head></html>");
}

#[test]
fn looks_like_html_detection() {
    assert!(looks_like_html(b"<!DOCTYPE html><html></html>"));
    assert!(looks_like_html(b"\xEF\xBB\xBF  \n<html lang=en>"));
    assert!(looks_like_html(b"<div class=x>hi</div>"));
    assert!(looks_like_html(b"<P>para"));
    assert!(!looks_like_html(b"%PDF-1.7"));
    assert!(!looks_like_html(b"plain text with <div> later"));
    assert!(!looks_like_html(b""));
}

#[test]
fn date_parsing() {
    use super::meta::parse_date;
    assert_eq!(parse_date("2019-11-19T10:00:00Z"), Some((2019, 11, 19)));
    assert_eq!(parse_date("2019-1-5"), Some((2019, 1, 5)));
    assert_eq!(parse_date("19 November 2019"), Some((2019, 11, 19)));
    assert_eq!(parse_date("November 19, 2019"), Some((2019, 11, 19)));
    assert_eq!(parse_date("05/10/2018"), Some((2018, 10, 5)));
    assert_eq!(parse_date("20191119"), Some((2019, 11, 19)));
    assert_eq!(parse_date("yesterday"), None);
}

#[test]
fn title_fallback_strips_site_suffix() {
    let html = "<html><head><title>Council praised by inspectors | Local News</title></head><body><div><p>Body paragraph text that is long enough, with commas, to be content.</p></div></body></html>";
    let a = extract(html.as_bytes());
    assert_eq!(a.title.as_deref(), Some("Council praised by inspectors"));
}
