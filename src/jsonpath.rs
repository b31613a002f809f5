//! kubectl's JSONPath templates (`-o jsonpath=`, `custom-columns`,
//! `--sort-by`), as client-go's `util/jsonpath` reads and prints them: text
//! with `{...}` actions; `.field`, `['field']`, `..field`, `[*]`, `[i]`,
//! `[start:end]`, `[a,b]`, `[?(@.x == "y")]`, `range`/`end`, `"quoted"` text.
//! Missing keys yield nothing (kubectl's `--allow-missing-template-keys`).

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    Expr(Vec<Step>),
    Range(Vec<Step>, Vec<Node>),
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Recursive(String),
    Wildcard,
    Index(i64),
    Slice(Option<i64>, Option<i64>),
    Union(Vec<Step>),
    Filter(Filter),
}

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    path: Vec<Step>,
    op: Option<(String, Value)>,
}

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template(Vec<Node>);

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut stack: Vec<(Vec<Step>, Vec<Node>)> = Vec::new();
        let mut nodes = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                nodes.push(Node::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                nodes.push(Node::Text(rest[..open].to_string()));
            }
            let close = action_end(&rest[open + 1..]).ok_or_else(|| format!("unclosed action in {text:?}"))?;
            let action = rest[open + 1..open + 1 + close].trim();
            rest = &rest[open + 2 + close..];
            if let Some(expr) = action.strip_prefix("range ") {
                stack.push((steps(expr.trim())?, std::mem::take(&mut nodes)));
            } else if action == "end" {
                let (over, outer) = stack.pop().ok_or("not in range, nothing to end")?;
                let body = std::mem::replace(&mut nodes, outer);
                nodes.push(Node::Range(over, body));
            } else if action.starts_with('"') || action.starts_with('\'') {
                nodes.push(Node::Text(unquote(action)?));
            } else {
                nodes.push(Node::Expr(steps(action)?));
            }
        }
        if !stack.is_empty() {
            return Err("unclosed range".into());
        }
        Ok(Template(nodes))
    }

    /// `HEADER:.path` columns and `--sort-by` take a bare path: braces are added.
    pub fn parse_relaxed(path: &str) -> Result<Template, String> {
        let inner = path.trim().trim_start_matches('{').trim_end_matches('}');
        let inner = if inner.starts_with('.') || inner.starts_with('$') || inner.starts_with('@') {
            inner.to_string()
        } else {
            format!(".{inner}")
        };
        Template::parse(&format!("{{{inner}}}"))
    }

    /// What kubectl prints for `-o jsonpath=`: text as is, each action's
    /// results joined by a space; strings raw, objects and arrays as JSON.
    pub fn render(&self, data: &Value) -> String {
        let mut out = String::new();
        render_nodes(&self.0, data, data, &mut out);
        out
    }

    /// The values the template's actions find (custom-columns, sort-by).
    pub fn values<'a>(&self, data: &'a Value) -> Vec<&'a Value> {
        let mut out = Vec::new();
        for node in &self.0 {
            if let Node::Expr(steps) = node {
                out.extend(eval(steps, data, data));
            }
        }
        out
    }
}

/// Where the action that starts here closes, skipping quoted text.
fn action_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '}' => return Some(i),
            None => {}
        }
    }
    None
}

fn unquote(s: &str) -> Result<String, String> {
    let q = s.chars().next().unwrap_or('"');
    let inner = s.strip_prefix(q).and_then(|s| s.strip_suffix(q)).ok_or_else(|| format!("unterminated quote {s}"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Ok(out)
}

fn steps(expr: &str) -> Result<Vec<Step>, String> {
    let bad = || format!("invalid JSONPath expression {expr:?}");
    let mut out = Vec::new();
    let mut s = expr.trim();
    s = s.strip_prefix('$').or_else(|| s.strip_prefix('@')).unwrap_or(s);
    while !s.is_empty() {
        if let Some(r) = s.strip_prefix("..") {
            let (name, rest) = name(r);
            if name.is_empty() {
                return Err(bad());
            }
            out.push(Step::Recursive(name));
            s = rest;
        } else if let Some(r) = s.strip_prefix('.') {
            if let Some(r) = r.strip_prefix('*') {
                out.push(Step::Wildcard);
                s = r;
                continue;
            }
            let (name, rest) = name(r);
            if !name.is_empty() {
                out.push(Step::Field(name));
            }
            s = rest;
        } else if let Some(r) = s.strip_prefix('[') {
            let close = bracket_end(r).ok_or_else(bad)?;
            out.push(subscript(r[..close].trim()).ok_or_else(bad)?);
            s = &r[close + 1..];
        } else {
            return Err(bad());
        }
    }
    Ok(out)
}

/// A field name up to the next `.` or `[` (`\.` keeps a dot in the name).
fn name(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some((_, '.'))) => {
                out.push('.');
                chars.next();
            }
            '.' | '[' => return (out, &s[i..]),
            c => out.push(c),
        }
    }
    (out, "")
}

fn bracket_end(s: &str) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ']') if depth == 0 => return Some(i),
            (None, ']') => depth -= 1,
            _ => {}
        }
    }
    None
}

fn subscript(s: &str) -> Option<Step> {
    if s == "*" {
        return Some(Step::Wildcard);
    }
    if let Some(f) = s.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
        return filter(f.trim()).map(Step::Filter);
    }
    let parts = split_top(s, ',');
    if parts.len() > 1 {
        return parts.iter().map(|p| subscript(p.trim())).collect::<Option<Vec<_>>>().map(Step::Union);
    }
    if s.starts_with('\'') || s.starts_with('"') {
        return unquote(s).ok().map(Step::Field);
    }
    if let Some((a, b)) = s.split_once(':') {
        let num = |x: &str| -> Option<Option<i64>> {
            let x = x.split(':').next().unwrap_or("").trim();
            if x.is_empty() { Some(None) } else { x.parse().ok().map(Some) }
        };
        return Some(Step::Slice(num(a)?, num(b)?));
    }
    s.parse().ok().map(Step::Index)
}

fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == sep => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn filter(f: &str) -> Option<Filter> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some((left, right)) = f.split_once(op) {
            let right = right.trim();
            let value = if right.starts_with('"') || right.starts_with('\'') {
                Value::String(unquote(right).ok()?)
            } else {
                serde_json::from_str(right).unwrap_or_else(|_| Value::String(right.to_string()))
            };
            return Some(Filter { path: steps(left.trim()).ok()?, op: Some((op.to_string(), value)) });
        }
    }
    Some(Filter { path: steps(f).ok()?, op: None })
}

fn eval<'a>(steps: &[Step], root: &'a Value, current: &'a Value) -> Vec<&'a Value> {
    let _ = root;
    let mut values = vec![current];
    for step in steps {
        values = values.into_iter().flat_map(|v| apply(step, v)).collect();
    }
    values
}

fn apply<'a>(step: &Step, v: &'a Value) -> Vec<&'a Value> {
    match step {
        Step::Field(name) => v.get(name.as_str()).into_iter().collect(),
        Step::Recursive(name) => {
            let mut out = Vec::new();
            descend(v, name, &mut out);
            out
        }
        Step::Wildcard => match v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(o) => o.values().collect(),
            _ => vec![],
        },
        Step::Index(i) => match v {
            Value::Array(a) => index(*i, a.len()).and_then(|i| a.get(i)).into_iter().collect(),
            _ => vec![],
        },
        Step::Slice(start, end) => match v {
            Value::Array(a) => {
                let len = a.len() as i64;
                let clamp = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) } as usize;
                let (s, e) = (clamp(start.unwrap_or(0)), clamp(end.unwrap_or(len)));
                if s < e { a[s..e].iter().collect() } else { vec![] }
            }
            _ => vec![],
        },
        Step::Union(steps) => steps.iter().flat_map(|s| apply(s, v)).collect(),
        Step::Filter(f) => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            items.into_iter().filter(|item| matches(f, item)).collect()
        }
    }
}

fn index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { len as i64 + i } else { i };
    (0..len as i64).contains(&i).then_some(i as usize)
}

fn descend<'a>(v: &'a Value, name: &str, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(o) => {
            if let Some(x) = o.get(name) {
                out.push(x);
            }
            for child in o.values() {
                descend(child, name, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|child| descend(child, name, out)),
        _ => {}
    }
}

fn matches(f: &Filter, item: &Value) -> bool {
    let found = eval(&f.path, item, item);
    let Some((op, want)) = &f.op else { return !found.is_empty() };
    found.iter().any(|got| {
        let ord = match (got, want) {
            (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
            (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
            (a, b) => (*a == b).then_some(std::cmp::Ordering::Equal),
        };
        match op.as_str() {
            "==" => ord == Some(std::cmp::Ordering::Equal),
            "!=" => ord != Some(std::cmp::Ordering::Equal),
            "<" => ord == Some(std::cmp::Ordering::Less),
            ">" => ord == Some(std::cmp::Ordering::Greater),
            "<=" => matches!(ord, Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)),
            ">=" => matches!(ord, Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)),
            _ => false,
        }
    })
}

fn render_nodes(nodes: &[Node], root: &Value, current: &Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Expr(steps) => {
                let values = eval(steps, root, current);
                let texts: Vec<String> = values.iter().map(|v| json_text(v)).collect();
                out.push_str(&texts.join(" "));
            }
            Node::Range(over, body) => {
                for v in eval(over, root, current) {
                    match v {
                        Value::Array(items) => items.iter().for_each(|item| render_nodes(body, root, item, out)),
                        other => render_nodes(body, root, other, out),
                    }
                }
            }
        }
    }
}

/// A value as client-go prints it in a template: strings raw, objects and
/// arrays as compact JSON (Go's encoder: `<`, `>`, `&` escaped), the rest as is.
pub fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => serde_json::to_string(v)
            .unwrap_or_default()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026"),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// A value as custom-columns prints it: Go's `fmt.Sprint` (`map[k:v]`, `[a b]`).
pub fn go_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => {
            let inner: Vec<String> = o.iter().map(|(k, v)| format!("{k}:{}", go_text(v))).collect();
            format!("map[{}]", inner.join(" "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_text).collect::<Vec<_>>().join(" ")),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// kubectl's `--sort-by` order of two found values: numbers as numbers;
/// strings that both read as quantities (`500m`, `2Gi`, `10`) by amount,
/// other strings byte by byte.
pub fn sort_order(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => match (quantity(x), quantity(y)) {
            (Some(qx), Some(qy)) => qx.partial_cmp(&qy).unwrap_or(Ordering::Equal),
            _ => x.as_bytes().cmp(y.as_bytes()),
        },
        _ => Ordering::Equal,
    }
}

/// A Kubernetes quantity's amount (`1.5Gi`, `250m`, `1e3`), if it is one.
fn quantity(s: &str) -> Option<f64> {
    const SUFFIXES: [(&str, f64); 16] = [
        ("Ki", 1024.0),
        ("Mi", 1048576.0),
        ("Gi", 1073741824.0),
        ("Ti", 1099511627776.0),
        ("Pi", 1125899906842624.0),
        ("Ei", 1152921504606846976.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
        ("", 1.0),
    ];
    let digits_end = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')).unwrap_or(s.len());
    let (number, suffix) = s.split_at(digits_end);
    // f64's parser refuses the rest: an empty number, a sign past the first character.
    let amount: f64 = number.parse().ok()?;
    if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
        return exp.parse::<i32>().ok().map(|e| amount * 10f64.powi(e));
    }
    SUFFIXES.iter().find(|(name, _)| *name == suffix).map(|(_, factor)| amount * factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "b-team", "labels": {"app.kubernetes.io/name": "x", "tier": "1"}},
             "spec": {"personas": [{"name": "p1"}, {"name": "p2"}]}, "status": {"phase": "Ready", "installedCount": 2}},
            {"metadata": {"name": "a-team"}, "spec": {"personas": [{"name": "q"}]}, "status": {"phase": "Inactive", "installedCount": 0}}
        ]})
    }

    fn render(t: &str) -> String {
        Template::parse(t).unwrap().render(&list())
    }

    #[test]
    fn fields_wildcards_and_ranges() {
        assert_eq!(render("{.items[*].metadata.name}"), "b-team a-team");
        assert_eq!(render("{.kind} has {.items[0].status.installedCount}"), "List has 2");
        assert_eq!(
            render(r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#),
            "b-team\tReady\na-team\tInactive\n"
        );
        assert_eq!(render("{.items[-1].metadata.name}"), "a-team");
        assert_eq!(render("{.items[0:1].metadata.name}"), "b-team");
        assert_eq!(render("{.items[*].spec.personas[*].name}"), "p1 p2 q");
        assert_eq!(render("{..phase}"), "Ready Inactive");
        assert_eq!(render("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}"), "x");
        assert_eq!(render("{.items[0].metadata.labels['app.kubernetes.io/name']}"), "x");
        assert_eq!(render("{.items[0]['metadata.name']}{.items[0].metadata['name','missing']}"), "b-team");
    }

    #[test]
    fn filters_missing_keys_and_documents() {
        assert_eq!(render(r#"{.items[?(@.status.phase=="Ready")].metadata.name}"#), "b-team");
        assert_eq!(render("{.items[?(@.status.installedCount>1)].metadata.name}"), "b-team");
        assert_eq!(render("{.items[?(@.metadata.labels)].metadata.name}"), "b-team");
        assert_eq!(render("{.items[*].nothing}{.items[9]}"), "");
        assert_eq!(render("{.items[1].spec.personas}"), r#"[{"name":"q"}]"#);
        assert_eq!(Template::parse("{.a}").unwrap().render(&json!({"a": "<&>"})), "<&>");
        assert_eq!(
            Template::parse("{.a}").unwrap().render(&json!({"a": {"h": "<&>"}})),
            r#"{"h":"\u003c\u0026\u003e"}"#
        );
        assert_eq!(render("no braces"), "no braces");
    }

    /// Quotes hide `}`, `]` and `,` from the parsers; nested brackets count.
    #[test]
    fn quoted_braces_brackets_and_commas_stay_text() {
        let data = json!({"a]b": 1, "a,b": 2, "x\\y": 3, "items": [{"n": "]", "k": [5]}, {"n": "q", "k": [6]}]});
        let r = |t: &str| Template::parse(t).unwrap().render(&data);
        assert_eq!(r(r#"{"}"}{'}'}"#), "}}");
        assert_eq!(r("{['a]b']} {['a,b']} {[\"a]b\"]}"), "1 2 1");
        assert_eq!(r(r"{.x\y}"), "3", "a backslash before anything but a dot is the name's");
        assert_eq!(r(r#"{.items[?(@.n=="]")].k[0]}"#), "5");
        assert_eq!(r("{.items[?(@.k[0]==6)].n}"), "q");
        assert_eq!(r("{.items[?(@.n=='q')].k[0]}"), "6");
        assert_eq!(render("{.items[0].status['phase','installedCount']}"), "Ready 2");
        assert_eq!(render("{.items[0].metadata.labels.*}"), "x 1", "a wildcard over an object: its values");
    }

    /// Every comparison of a filter, on numbers, strings and other values;
    /// slices from the end.
    #[test]
    fn filter_comparisons_and_slices_from_the_end() {
        let data = json!({"xs": [{"n": 1, "s": "a", "b": true}, {"n": 2, "s": "b", "b": false}, {"n": 3, "s": "c", "b": true}]});
        let r = |t: &str| Template::parse(t).unwrap().render(&data);
        assert_eq!(r("{.xs[?(@.n!=2)].s}"), "a c");
        assert_eq!(r("{.xs[?(@.n<2)].s}"), "a");
        assert_eq!(r("{.xs[?(@.n<=2)].s}"), "a b");
        assert_eq!(r("{.xs[?(@.n>2)].s}"), "c");
        assert_eq!(r("{.xs[?(@.n>=2)].s}"), "b c");
        assert_eq!(r("{.xs[?(@.s>'a')].n}"), "2 3");
        assert_eq!(r("{.xs[?(@.b==true)].s}"), "a c");
        assert_eq!(r("{.xs[?(@.b!=true)].s}"), "b");
        assert_eq!(r("{.xs[-1:].s}"), "c");
        assert_eq!(r("{.xs[-2:].s}"), "b c");
        assert_eq!(r("{.xs[:-1].s}"), "a b");
        assert_eq!(r("{.xs[-9:1].s}"), "a");
    }

    /// Text before an action is a node of its own; none when the action opens the template.
    #[test]
    fn an_action_at_the_start_has_no_text_before_it() {
        assert_eq!(Template::parse("{.a}").unwrap().0.len(), 1);
        assert_eq!(Template::parse("x{.a}").unwrap().0.len(), 2);
    }

    #[test]
    fn errors_name_the_template() {
        assert!(Template::parse("{.items[*]").unwrap_err().contains("unclosed"));
        assert!(Template::parse("{range .items[*]}{.a}").is_err());
        assert!(Template::parse("{end}").is_err());
        assert!(Template::parse("{.items[}").is_err());
    }

    #[test]
    fn relaxed_paths_and_go_printing() {
        let t = Template::parse_relaxed("metadata.name").unwrap();
        assert_eq!(t.values(&list()["items"][0]), [&json!("b-team")]);
        assert_eq!(Template::parse_relaxed("{.status.phase}").unwrap().render(&list()["items"][1]), "Inactive");
        for rooted in ["$.status.phase", "@.status.phase", "{$.status.phase}"] {
            assert_eq!(Template::parse_relaxed(rooted).unwrap().render(&list()["items"][1]), "Inactive", "{rooted}");
        }
        assert_eq!(go_text(&json!({"b": 1, "a": ["x", true]})), "map[a:[x true] b:1]");
    }

    #[test]
    fn sort_order_is_kubectls() {
        use std::cmp::Ordering::*;
        let o = |a: Value, b: Value| sort_order(&a, &b);
        assert_eq!(o(json!(2), json!(10)), Less);
        assert_eq!(o(json!("team-2"), json!("team-10")), Greater, "strings byte by byte");
        assert_eq!(o(json!("9015d0a7"), json!("9cee3a2e")), Less);
        assert_eq!(o(json!("500m"), json!("2")), Less, "quantities by amount");
        assert_eq!(o(json!("1Gi"), json!("1000Mi")), Greater);
        assert_eq!(o(json!("1e3"), json!("999")), Greater);
        assert_eq!(o(json!("2026-11-28T10:00:00Z"), json!("2026-11-29T09:00:00Z")), Less);
        assert_eq!(quantity("abc"), None);
        assert_eq!(quantity("1.5Ki"), Some(1536.0));
        assert_eq!(quantity("-2"), Some(-2.0));
        assert_eq!(quantity("+.5"), Some(0.5));
        assert_eq!(quantity("2e3"), Some(2000.0));
        for bad in ["", "Ki", "1-2", "--1", "1.2.3", "inf", "NaN", "1x"] {
            assert_eq!(quantity(bad), None, "{bad:?}");
        }
    }
}
