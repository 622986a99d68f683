/// The page every HTML report shares (verify and diff): one self-contained file, styles and a
/// small filter script inline, nothing fetched from the network, readable with scripts off.
public enum HTMLPage {
  /// A whole document around `body`.
  public static func document(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escape(title))</title>
    <style>
    \(style)
    </style>
    </head>
    <body>
    \(body)
    <script>
    \(script)
    </script>
    </body>
    </html>

    """
  }

  /// Text as HTML text or a quoted attribute value.
  public static func escape(_ text: String) -> String { Markup.escape(text) }

  /// The verdict banner: a headline, a line of counts, and up to three things to do now.
  static func banner(
    passed: Bool, headline: String, counts: String, actions: [String], facts: String
  ) -> String {
    var html = "<header class=\"banner \(passed ? "pass" : "fail")\" id=\"verdict\">\n"
    html += "<div class=\"headline\">\(escape(headline))</div>\n"
    html += "<div class=\"counts\">\(counts)</div>\n"
    if !actions.isEmpty {
      html += "<ol class=\"actions\" id=\"what-to-do\">\n"
      for action in actions.prefix(3) { html += "<li>\(action)</li>\n" }
      html += "</ol>\n"
    }
    html += "<div class=\"facts\">\(facts)</div>\n</header>\n"
    return html
  }

  /// A row of headline figures; `bad` tiles are drawn in red.
  static func tiles(_ tiles: [(label: String, value: String, bad: Bool)]) -> String {
    var html = "<section class=\"tiles\">\n"
    for tile in tiles {
      html +=
        "<div class=\"tile\(tile.bad ? " bad" : "")\"><div class=\"value\">\(escape(tile.value))</div><div class=\"label\">\(escape(tile.label))</div></div>\n"
    }
    return html + "</section>\n"
  }

  static let style = """
    :root { --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de;
      --bg: #f6f8fa; --info: #0969da; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
      color: #1f2328; background: var(--bg); }
    main { max-width: 72rem; margin: 0 auto; padding: 1.25rem; }
    .banner { border-radius: 10px; padding: 1rem 1.4rem; color: #fff; margin-bottom: 1rem; }
    .banner.pass { background: linear-gradient(135deg, #1a7f37, #2da44e); }
    .banner.fail { background: linear-gradient(135deg, #a40e26, #cf222e); }
    .headline { font-size: 1.7rem; font-weight: 700; letter-spacing: .01em; }
    .counts { font-size: 1.05rem; margin: .15rem 0 .5rem; }
    .counts b { font-weight: 700; }
    .actions { margin: .4rem 0 .5rem; padding-left: 1.3rem; font-size: 1rem; }
    .actions li { margin: .15rem 0; }
    .banner code { background: rgba(255,255,255,.2); color: #fff; }
    .facts { opacity: .9; font-size: .85rem; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .6rem;
      margin-bottom: 1rem; }
    .tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
    .tile .value { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; }
    .tile .label { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
    .tile.bad { border-color: var(--bad); } .tile.bad .value { color: var(--bad); }
    .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1rem; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem;
      margin-bottom: 1rem; overflow-x: auto; }
    h2 { font-size: 1.05rem; margin: .1rem 0 .6rem; }
    h3 { font-size: .95rem; margin: .8rem 0 .3rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
    th { font-size: .78rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
    td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
    tr.fail td { background: #ffebe9; } tr.fail td:first-child { box-shadow: inset 3px 0 var(--bad); }
    tr.warn td { background: #fff8c5; }
    code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3;
      padding: .05rem .3rem; border-radius: 4px; word-break: break-all; }
    .muted { color: var(--muted); }
    .chips { display: flex; flex-wrap: wrap; gap: .3rem; margin: .4rem 0; }
    .chip { background: #eff1f3; border-radius: 999px; padding: .05rem .55rem; font-size: .8rem; }
    svg.chart { display: block; width: 100%; height: auto; }
    svg.chart text { font: 12px system-ui, sans-serif; fill: #1f2328; }
    svg.chart text.value { fill: var(--muted); }
    .s-ok { fill: #2da44e; } .s-bad { fill: #cf222e; } .s-warn { fill: #d4a72c; }
    .s-neutral { fill: #54aeff; } .s-empty { fill: #d0d7de; } .s-add { fill: #2da44e; }
    .s-remove { fill: #cf222e; } .s-change { fill: #bf8700; }
    .legend { display: flex; gap: 1rem; font-size: .8rem; color: var(--muted); margin: .2rem 0 .5rem; }
    .legend span::before { content: ""; display: inline-block; width: .7rem; height: .7rem;
      border-radius: 2px; margin-right: .3rem; vertical-align: -1px; background: var(--c); }
    .filters { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; margin-bottom: .6rem; }
    .filters input[type=search] { padding: .3rem .5rem; border: 1px solid var(--line);
      border-radius: 6px; min-width: 16rem; }
    details.group { border: 1px solid var(--line); border-radius: 8px; margin: .5rem 0; background: #fff; }
    details.group > summary { padding: .5rem .8rem; cursor: pointer; font-weight: 600; }
    details.group > .body { padding: 0 .8rem .6rem; }
    details.group.error > summary { border-left: 4px solid var(--bad); }
    details.group.warning > summary { border-left: 4px solid #d4a72c; }
    details.group.info > summary { border-left: 4px solid var(--info); }
    .badge { display: inline-block; border-radius: 999px; padding: 0 .5rem; font-size: .75rem;
      color: #fff; margin-right: .4rem; vertical-align: 1px; }
    .badge.error { background: var(--bad); } .badge.warning { background: var(--warn); }
    .badge.info { background: var(--info); }
    .advice { color: var(--muted); margin: .2rem 0 .4rem; }
    ul.findings { margin: .2rem 0; padding-left: 1.2rem; }
    ul.findings li { margin: .15rem 0; }
    .more { color: var(--muted); font-style: italic; }
    footer { color: var(--muted); font-size: .8rem; margin: 1rem 0 2rem; }
    """

  /// Filters finding groups by severity and by text; without scripts everything shows.
  static let script = """
    (function () {
      var search = document.getElementById("finding-search");
      var boxes = document.querySelectorAll("input[data-severity]");
      if (!search) { return; }
      function apply() {
        var shown = {};
        boxes.forEach(function (box) { shown[box.dataset.severity] = box.checked; });
        var text = search.value.trim().toLowerCase();
        document.querySelectorAll("details.group").forEach(function (group) {
          var visible = shown[group.dataset.severity] !== false;
          var matches = 0;
          group.querySelectorAll("li.finding").forEach(function (item) {
            var hit = !text || item.textContent.toLowerCase().indexOf(text) >= 0
              || group.dataset.code.indexOf(text) >= 0;
            item.hidden = !hit;
            if (hit) { matches += 1; }
          });
          group.hidden = !visible || (text !== "" && matches === 0);
          if (text && matches > 0) { group.open = true; }
        });
      }
      search.addEventListener("input", apply);
      boxes.forEach(function (box) { box.addEventListener("change", apply); });
      apply();
    })();
    """
}
