#!/usr/bin/env python3
"""List the public API of the `sledai` crate, one item per line, sorted.

Reads the rustdoc JSON of the library (built with the stable toolchain and
RUSTC_BOOTSTRAP=1, since the JSON output is still an unstable rustdoc
option) and prints every public module, type, field, variant, function,
method, constant and trait implementation with its signature. The committed
listing is api/sledai.txt; scripts/test.sh regenerates it and fails when it
differs, so every change to the public surface is visible in review.

Usage:
    python3 scripts/public_api.py            # print the listing
    python3 scripts/public_api.py --check    # compare with api/sledai.txt
    python3 scripts/public_api.py --bless    # rewrite api/sledai.txt
    python3 scripts/public_api.py --counts   # counts of types, functions, fields

Needs only python3 and cargo.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTING = ROOT / "api" / "sledai.txt"
# Format versions this renderer was written against (rustc 1.9x).
SUPPORTED_FORMATS = range(50, 70)

# Traits implemented by the compiler or blanket impls: noise in a listing.
AUTO_TRAITS = {
    "Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe", "Freeze",
}


def build_json():
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    subprocess.run(
        ["cargo", "rustdoc", "-q", "-p", "sledai", "--lib", "--",
         "-Z", "unstable-options", "--output-format", "json"],
        cwd=ROOT, env=env, check=True,
    )
    with open(target / "doc" / "sledai.json", encoding="utf-8") as f:
        return json.load(f)


class Renderer:
    def __init__(self, doc):
        self.doc = doc
        self.index = doc["index"]
        self.paths = doc["paths"]
        self.lines = set()
        self.counts = {"types": 0, "functions": 0, "fields": 0}
        # Canonical public path of each item id (the shortest of its public
        # paths), fixed by a first walk; every other path is a re-export.
        self.public_path = {}
        self.all_paths = {}

    # ---- types -----------------------------------------------------------

    def path_name(self, p):
        pid = str(p.get("id"))
        name = self.public_path.get(pid)
        if name is None:
            name = p.get("path") or p.get("name", "?")
            if pid in self.paths:
                name = "::".join(self.paths[pid]["path"])
        return name + self.args(p.get("args"))

    def args(self, a):
        if not a:
            return ""
        if "angle_bracketed" in a:
            ab = a["angle_bracketed"]
            parts = []
            for g in ab.get("args", []):
                if "type" in g:
                    parts.append(self.ty(g["type"]))
                elif "lifetime" in g:
                    parts.append(g["lifetime"])
                elif "const" in g:
                    parts.append(str(g["const"].get("expr", "_")))
            for c in ab.get("constraints", []):
                b = c.get("binding", {})
                if "equality" in b:
                    eq = b["equality"]
                    val = self.ty(eq["type"]) if "type" in eq else str(eq)
                    parts.append(f"{c['name']} = {val}")
                elif "constraint" in b:
                    parts.append(f"{c['name']}: {self.bounds(b['constraint'])}")
            return f"<{', '.join(parts)}>" if parts else ""
        if "parenthesized" in a:
            p = a["parenthesized"]
            out = f"({', '.join(self.ty(t) for t in p.get('inputs', []))})"
            if p.get("output"):
                out += f" -> {self.ty(p['output'])}"
            return out
        return ""

    def bounds(self, bs):
        out = []
        for b in bs:
            if "trait_bound" in b:
                tb = b["trait_bound"]
                mod = "?" if tb.get("modifier") == "maybe" else ""
                out.append(mod + self.path_name(tb["trait"]))
            elif "outlives" in b:
                out.append(b["outlives"])
            else:
                out.append("use<..>")
        return " + ".join(out)

    def ty(self, t):
        if t is None:
            return "()"
        if isinstance(t, str):
            return "_" if t == "infer" else t
        (k, v), = t.items()
        if k == "resolved_path":
            return self.path_name(v)
        if k == "primitive":
            return v
        if k == "generic":
            return v
        if k == "borrowed_ref":
            lt = f"{v['lifetime']} " if v.get("lifetime") else ""
            mut = "mut " if v.get("is_mutable") else ""
            return f"&{lt}{mut}{self.ty(v['type'])}"
        if k == "tuple":
            return f"({', '.join(self.ty(x) for x in v)})"
        if k == "slice":
            return f"[{self.ty(v)}]"
        if k == "array":
            return f"[{self.ty(v['type'])}; {v['len']}]"
        if k == "impl_trait":
            return f"impl {self.bounds(v)}"
        if k == "dyn_trait":
            tr = " + ".join(self.path_name(x["trait"]) for x in v.get("traits", []))
            return f"dyn {tr}"
        if k == "qualified_path":
            st = self.ty(v["self_type"])
            tr = v.get("trait")
            if tr:
                return f"<{st} as {self.path_name(tr)}>::{v['name']}"
            return f"{st}::{v['name']}"
        if k == "raw_pointer":
            return f"*{'mut' if v.get('is_mutable') else 'const'} {self.ty(v['type'])}"
        if k == "function_pointer":
            sig = v["sig"]
            ins = ", ".join(self.ty(x[1]) for x in sig["inputs"])
            out = f" -> {self.ty(sig['output'])}" if sig.get("output") else ""
            return f"fn({ins}){out}"
        return k

    def generics(self, g):
        params = []
        for p in (g or {}).get("params", []):
            kind = p["kind"]
            if "lifetime" in kind:
                params.append(p["name"])
            elif "type" in kind:
                if kind["type"].get("is_synthetic"):
                    continue
                b = kind["type"].get("bounds", [])
                params.append(p["name"] + (f": {self.bounds(b)}" if b else ""))
            elif "const" in kind:
                params.append(f"const {p['name']}: {self.ty(kind['const']['type'])}")
        return f"<{', '.join(params)}>" if params else ""

    def fn_sig(self, name, f):
        h = f.get("header", {})
        q = ("const " if h.get("is_const") else "") + ("unsafe " if h.get("is_unsafe") else "")
        ins = []
        for pname, pty in f["sig"]["inputs"]:
            if pname == "self":
                ins.append(self.self_param(pty))
            else:
                ins.append(f"{pname}: {self.ty(pty)}")
        out = f["sig"].get("output")
        ret = f" -> {self.ty(out)}" if out is not None else ""
        return f"{q}fn {name}{self.generics(f.get('generics'))}({', '.join(ins)}){ret}"

    def self_param(self, t):
        if isinstance(t, dict) and "borrowed_ref" in t:
            inner = t["borrowed_ref"]["type"]
            if inner == {"generic": "Self"}:
                return "&mut self" if t["borrowed_ref"].get("is_mutable") else "&self"
        if t == {"generic": "Self"}:
            return "self"
        return f"self: {self.ty(t)}"

    # ---- walk ------------------------------------------------------------

    def emit(self, line):
        self.lines.add(line)

    def walk_module(self, mid, path, seen):
        if mid in seen:
            return
        seen.add(mid)
        item = self.index[mid]
        self.emit(f"pub mod {path}")
        for cid in item["inner"]["module"]["items"]:
            self.walk_item(str(cid), path, seen)

    def walk_item(self, iid, modpath, seen):
        item = self.index.get(iid)
        if item is None or item.get("visibility") != "public":
            return
        inner = item["inner"]
        kind = next(iter(inner))
        if kind == "use":
            u = inner["use"]
            target = str(u.get("id")) if u.get("id") is not None else None
            if target is None or target not in self.index:
                self.emit(f"pub use {modpath}::{u['name']} = {u['source']}")
                return
            if u.get("is_glob"):
                t = self.index[target]
                if "module" in t["inner"]:
                    for cid in t["inner"]["module"]["items"]:
                        self.walk_item(str(cid), modpath, seen)
                return
            self.walk_named(target, modpath, u["name"], seen)
            return
        self.walk_named(iid, modpath, item["name"], seen)

    def walk_named(self, iid, modpath, name, seen):
        item = self.index[iid]
        inner = item["inner"]
        kind = next(iter(inner))
        path = f"{modpath}::{name}"
        if kind == "module":
            self.walk_module(iid, path, seen)
            return
        self.all_paths.setdefault(iid, set()).add(path)
        canonical = self.public_path.get(iid, path)
        if canonical != path:
            self.emit(f"pub use {path} = {canonical}")
            return
        v = inner[kind]
        if kind == "struct":
            self.counts["types"] += 1
            self.emit(f"pub struct {path}{self.generics(v.get('generics'))}")
            sk = v["kind"]
            if isinstance(sk, dict) and "plain" in sk:
                for fid in sk["plain"]["fields"]:
                    self.field(str(fid), path)
            elif isinstance(sk, dict) and "tuple" in sk:
                for n, fid in enumerate(sk["tuple"]):
                    if fid is not None:
                        self.field(str(fid), path, str(n))
            self.impls(v.get("impls", []), path)
        elif kind == "enum":
            self.counts["types"] += 1
            attrs = " ".join(str(a) for a in item.get("attrs", []))
            ne = " #[non_exhaustive]" if "non_exhaustive" in attrs else ""
            self.emit(f"pub enum {path}{self.generics(v.get('generics'))}{ne}")
            for vid in v["variants"]:
                var = self.index[str(vid)]
                vk = var["inner"]["variant"]["kind"]
                vattrs = " ".join(str(a) for a in var.get("attrs", []))
                vne = " #[non_exhaustive]" if "non_exhaustive" in vattrs else ""
                if isinstance(vk, dict) and "struct" in vk:
                    fields = []
                    for fid in vk["struct"]["fields"]:
                        f = self.index[str(fid)]
                        fields.append(f"{f['name']}: {self.ty(f['inner']['struct_field'])}")
                    self.emit(f"pub enum variant {path}::{var['name']} {{ {', '.join(fields)} }}{vne}")
                elif isinstance(vk, dict) and "tuple" in vk:
                    fs = [self.ty(self.index[str(f)]["inner"]["struct_field"]) for f in vk["tuple"] if f is not None]
                    self.emit(f"pub enum variant {path}::{var['name']}({', '.join(fs)}){vne}")
                else:
                    self.emit(f"pub enum variant {path}::{var['name']}{vne}")
            self.impls(v.get("impls", []), path)
        elif kind == "function":
            self.counts["functions"] += 1
            self.emit(f"pub {self.fn_sig(path, v)}")
        elif kind == "constant":
            self.emit(f"pub const {path}: {self.ty(v['type'])}")
        elif kind == "static":
            self.emit(f"pub static {path}: {self.ty(v['type'])}")
        elif kind == "trait":
            self.counts["types"] += 1
            self.emit(f"pub trait {path}")
        elif kind == "type_alias":
            self.counts["types"] += 1
            self.emit(f"pub type {path} = {self.ty(v['type'])}")
        elif kind == "macro":
            self.emit(f"pub macro {path}!")
        else:
            self.emit(f"pub {kind} {path}")

    def field(self, fid, owner, name=None):
        f = self.index.get(fid)
        if f is None or f.get("visibility") != "public":
            return
        self.counts["fields"] += 1
        self.emit(f"pub field {owner}::{name or f['name']}: {self.ty(f['inner']['struct_field'])}")

    def impls(self, ids, owner):
        for iid in ids:
            imp = self.index.get(str(iid))
            if imp is None:
                continue
            v = imp["inner"]["impl"]
            if v.get("is_synthetic") or v.get("blanket_impl") is not None:
                continue
            tr = v.get("trait")
            if tr is not None:
                name = tr.get("path") or tr.get("name", "")
                if name.split("::")[-1] in AUTO_TRAITS:
                    continue
                neg = "!" if v.get("is_negative") else ""
                self.emit(f"impl {neg}{self.path_name(tr)} for {owner}")
                continue
            for mid in v["items"]:
                m = self.index.get(str(mid))
                if m is None or m.get("visibility") != "public":
                    continue
                mk = next(iter(m["inner"]))
                if mk == "function":
                    self.counts["functions"] += 1
                    self.emit(f"pub {self.fn_sig(owner + '::' + m['name'], m['inner']['function'])}")
                elif mk == "assoc_const":
                    self.emit(f"pub const {owner}::{m['name']}: {self.ty(m['inner']['assoc_const']['type'])}")
                elif mk == "constant":
                    self.emit(f"pub const {owner}::{m['name']}: {self.ty(m['inner']['constant']['type'])}")


def render(doc):
    fmt = doc.get("format_version")
    if fmt not in SUPPORTED_FORMATS:
        sys.exit(f"public_api.py: rustdoc JSON format {fmt} is not supported "
                 f"(written for {SUPPORTED_FORMATS.start}-{SUPPORTED_FORMATS.stop - 1})")
    r = Renderer(doc)
    # Two passes: the first fixes each item's public path, the second
    # renders signatures with those paths.
    r.walk_module(str(doc["root"]), "sledai", set())
    canonical = {
        iid: min(paths, key=lambda p: (p.count("::"), p))
        for iid, paths in r.all_paths.items()
    }
    r = Renderer(doc)
    r.public_path = canonical
    r.walk_module(str(doc["root"]), "sledai", set())
    return r


def main(argv):
    r = render(build_json())
    text = "".join(line + "\n" for line in sorted(r.lines))
    if "--counts" in argv:
        print(f"{r.counts['types']} public types, {r.counts['functions']} public functions "
              f"and methods, {r.counts['fields']} public fields")
    elif "--bless" in argv:
        LISTING.parent.mkdir(exist_ok=True)
        LISTING.write_text(text, encoding="utf-8")
        print(f"wrote {LISTING.relative_to(ROOT)} ({len(r.lines)} lines)")
    elif "--check" in argv:
        old = LISTING.read_text(encoding="utf-8") if LISTING.exists() else ""
        if old != text:
            import difflib
            sys.stdout.writelines(difflib.unified_diff(
                old.splitlines(True), text.splitlines(True),
                "api/sledai.txt (committed)", "api/sledai.txt (this tree)"))
            sys.exit("the public API changed: review the diff above, then run "
                     "`python3 scripts/public_api.py --bless` and commit api/sledai.txt")
        print(f"public API unchanged ({len(r.lines)} lines)")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
