package audit

import (
	"strings"

	"github.com/kmstrail/kmstrail"
)

// policyVerdict is what the audit keeps of a key policy: not the policy,
// which may be megabytes, but what the rules ask of it.
type policyVerdict struct {
	set        bool   // the event set a policy
	public     bool   // it allows anyone, unnarrowed
	sid        string // the first public statement's Sid, to name it
	unreadable string // why the policy does not parse, when it does not
}

// narrowingKeys are the condition keys that limit a statement to an
// account, an organization or a resource, so that a Principal of "*"
// under one of them is not public. Keys are case-insensitive in IAM.
var narrowingKeys = map[string]bool{
	"aws:principalorgid":    true,
	"aws:principalorgpaths": true,
	"aws:principalaccount":  true,
	"aws:principalarn":      true,
	"aws:sourceaccount":     true,
	"aws:sourcearn":         true,
	"aws:sourceorgid":       true,
	"aws:sourceorgpaths":    true,
	"aws:sourceowner":       true,
	"aws:sourcevpc":         true,
	"aws:sourcevpce":        true,
	"kms:calleraccount":     true,
}

// judgePolicy reads a key policy with KeyPolicy.Parse and says whether it
// is public: a statement that Allows Principal "*" (or {"AWS": "*"}), or
// Allows through NotPrincipal (everyone but those named), with no
// condition that narrows it.
func judgePolicy(p kmstrail.KeyPolicy) policyVerdict {
	v := policyVerdict{set: p != ""}
	if p == "" {
		return v
	}
	doc, err := p.Parse()
	if err != nil {
		v.unreadable = err.Error()
		return v
	}
	for _, st := range doc.Statement {
		if !strings.EqualFold(st.Effect, "Allow") {
			continue
		}
		if !anyone(st.Principal) && len(st.NotPrincipal) == 0 {
			continue
		}
		if narrowed(st.Condition) {
			continue
		}
		v.public, v.sid = true, st.Sid
		return v
	}
	return v
}

// anyone reports whether a principal element names everyone: "*" (which
// decodes as {"*": ["*"]}) or {"AWS": "*"}.
func anyone(p kmstrail.PolicyPrincipal) bool {
	for kind, vals := range p {
		if kind != "*" && kind != "AWS" {
			continue
		}
		for _, s := range vals {
			if strings.TrimSpace(s) == "*" {
				return true
			}
		}
	}
	return false
}

// narrowed reports whether a condition block limits who the statement
// applies to: a positive operator (StringEquals, ArnLike, ...; not a
// negated one, not IfExists, which lets a request without the key
// through, and not ForAllValues, which an absent key satisfies) on a
// narrowing key, with at least one value and every value pinning an
// account, organization or resource (see pins).
func narrowed(cond map[string]map[string]kmstrail.StringList) bool {
	for op, keys := range cond {
		lop := strings.ToLower(op)
		if strings.Contains(lop, "not") || strings.HasSuffix(lop, "ifexists") ||
			strings.HasPrefix(lop, "null") || strings.HasPrefix(lop, "forallvalues:") {
			continue
		}
		like := strings.Contains(lop, "like")
		for key, vals := range keys {
			lkey := strings.ToLower(key)
			if !narrowingKeys[lkey] || len(vals) == 0 {
				continue
			}
			ok := true
			for _, s := range vals {
				ok = ok && pins(lkey, s, like)
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// pins reports whether a condition value, for the lower-cased key, names
// one account, organization or resource. A value of wildcards alone never
// does. Under a Like operator, where * and ? match, the part that says
// whose it is must hold none: an ARN's account (or, for an ARN without
// one, such as an S3 bucket's, the start of its resource), an organization
// path's organization ID, and any other key's whole value. So
// "arn:aws:iam::*:*" and "o-*" pin nothing; "arn:aws:s3:::exports-*" and
// "o-a1b2c3d4e5/*" do.
func pins(key, value string, like bool) bool {
	const wild = "*?"
	if strings.Trim(value, wild) == "" {
		return false
	}
	if !like {
		return true
	}
	switch key {
	case "aws:principalarn", "aws:sourcearn":
		parts := strings.SplitN(value, ":", 6)
		if len(parts) < 6 {
			return false
		}
		if parts[4] != "" {
			return !strings.ContainsAny(parts[4], wild)
		}
		return parts[5] != "" && !strings.ContainsAny(parts[5][:1], wild)
	case "aws:principalorgpaths", "aws:sourceorgpaths":
		org, _, _ := strings.Cut(value, "/")
		return org != "" && !strings.ContainsAny(org, wild)
	}
	return !strings.ContainsAny(value, wild)
}
