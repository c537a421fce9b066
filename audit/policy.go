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
// narrowing key, with at least one value and none that is
// only wildcards.
func narrowed(cond map[string]map[string]kmstrail.StringList) bool {
	for op, keys := range cond {
		lop := strings.ToLower(op)
		if strings.Contains(lop, "not") || strings.HasSuffix(lop, "ifexists") ||
			strings.HasPrefix(lop, "null") || strings.HasPrefix(lop, "forallvalues:") {
			continue
		}
		for key, vals := range keys {
			if !narrowingKeys[strings.ToLower(key)] || len(vals) == 0 {
				continue
			}
			ok := true
			for _, s := range vals {
				if strings.Trim(s, "*?") == "" {
					ok = false
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}
