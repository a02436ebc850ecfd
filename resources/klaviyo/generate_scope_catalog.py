#!/usr/bin/env python3
"""Generate resources/klaviyo/scope-catalog.json from Klaviyo's official OpenAPI spec.

The console reads only the generated file. Run this again when Klaviyo publishes a new
revision:

    python3 resources/klaviyo/generate_scope_catalog.py \
        --stable openapi-stable-REV.json \
        --beta openapi-beta-REV.pre.json \
        --probes probe-list.json \
        --out resources/klaviyo/scope-catalog.json

The --stable and --beta inputs are Klaviyo's published OpenAPI files for revision REV
(openapi/stable.json and openapi/beta.json in github.com/klaviyo/openapi). The --probes input
is a JSON file whose "probe_endpoints" object maps each read scope to its probe request
(docs/klaviyo.md §9).

Every operation's scopes come from its `x-klaviyo-scopes` extension; the full scope list is
the `scopes` enum of the beta API-key resource (it also names scopes no operation needs yet).
The optional probe table (one cheap read per read scope) is copied from the probe list.
"""
import argparse
import hashlib
import json
import sys

METHODS = ("get", "post", "put", "patch", "delete")
SCOPE_ENUM_POINTER = "/components/schemas/ApiKeyResponseObjectResource/properties/attributes/properties/scopes/items"


def resolve(doc, pointer):
    node = doc
    for part in pointer.strip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def operations(spec, channel):
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            scopes = op.get("x-klaviyo-scopes")
            if scopes is None:
                sys.exit(f"{channel} {method.upper()} {path}: no x-klaviyo-scopes")
            entry = {
                "id": op["operationId"],
                "method": method.upper(),
                "path": path,
                "channel": channel,
                "summary": op.get("summary", ""),
                "scopes": sorted(set(scopes)),
                "publicKey": op.get("security") == [],
            }
            rate = op.get("x-klaviyo-ratelimit")
            if rate:
                entry["ratelimit"] = {k: rate[k] for k in sorted(rate)}
            yield entry


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stable", required=True)
    ap.add_argument("--beta", required=True)
    ap.add_argument("--probes", help="scope-catalog.json with probe_endpoints")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    stable = json.load(open(args.stable, encoding="utf-8"))
    beta = json.load(open(args.beta, encoding="utf-8"))
    ops = list(operations(stable, "stable")) + list(operations(beta, "beta"))
    ids = [o["id"] for o in ops]
    if len(ids) != len(set(ids)):
        sys.exit("duplicate operationId across stable and beta")
    ops.sort(key=lambda o: o["id"])

    scope_enum = sorted(resolve(beta, SCOPE_ENUM_POINTER)["enum"])
    used = {s for o in ops for s in o["scopes"]}
    missing = used - set(scope_enum)
    if missing:
        sys.exit(f"operations use scopes not in the enum: {sorted(missing)}")

    probes = {}
    if args.probes:
        catalog = json.load(open(args.probes, encoding="utf-8"))
        for scope, p in sorted(catalog.get("probe_endpoints", {}).items()):
            probes[scope] = {
                "operationId": p["operationId"],
                "method": p["method"],
                "path": p["path"],
                "channel": p["channel"],
                "query": p.get("example_query", ""),
                "scopes": sorted(p["all_scopes_required"]),
                "requiredQueryParams": p.get("required_query_params", []),
                "ratelimit": p.get("ratelimit", {}),
                "notes": p.get("notes", []),
            }

    out = {
        "format": "klaviyo-rbac-scope-catalog",
        "version": 1,
        "source": {
            "repository": "https://github.com/klaviyo/openapi",
            "stableRevision": stable["info"]["version"],
            "betaRevision": beta["info"]["version"],
            "stableSha256": sha256(args.stable),
            "betaSha256": sha256(args.beta),
            "generator": "resources/klaviyo/generate_scope_catalog.py",
        },
        "scopes": scope_enum,
        "operations": ops,
        "probes": probes,
    }
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(out, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"{args.out}: {len(scope_enum)} scopes, {len(ops)} operations, {len(probes)} probes")


if __name__ == "__main__":
    main()
