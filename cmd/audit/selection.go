package main

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/audit-tool/audit/checklist"
)

// checkSelection makes --only and --tags exact: each id, checklist name or
// glob of --only and each tag of --tags must match a step of the plan. A
// misspelt id was silently dropped, and the steps it meant never ran: a
// NO-GO shop reported GO.
func checkSelection(plan *checklist.Plan, only, tags []string) error {
	var ids, names, allTags []string
	tagSet := map[string]bool{}
	for _, inst := range plan.Instances {
		names = append(names, inst.Name)
		for _, s := range inst.Checklist.Steps {
			ids = append(ids, inst.StepID(s))
			for _, t := range s.Tags {
				if !tagSet[t] {
					tagSet[t] = true
					allTags = append(allTags, t)
				}
			}
		}
	}
	sort.Strings(allTags)
	var problems []string
	for _, pat := range only {
		if _, err := path.Match(pat, ""); err != nil {
			problems = append(problems, fmt.Sprintf("--only %q is not a valid glob: %s", pat, err))
			continue
		}
		if !matchesAny(pat, ids, names) {
			problems = append(problems, fmt.Sprintf("--only %q matches no step%s", pat, didYouMean(pat, append(names, ids...))))
		}
	}
	for _, t := range tags {
		if !tagSet[t] {
			known := "no step has tags"
			if len(allTags) > 0 {
				known = "tags: " + strings.Join(allTags, ", ")
			}
			hint := didYouMean(t, allTags)
			if hint == "" {
				hint = " (" + known + ")"
			}
			problems = append(problems, fmt.Sprintf("--tags %q matches no step%s", t, hint))
		}
	}
	if len(problems) > 0 {
		return usageErr("%s; nothing was run", strings.Join(problems, "; "))
	}
	return nil
}

func matchesAny(pat string, ids, names []string) bool {
	for _, n := range names {
		if pat == n {
			return true
		}
	}
	for _, id := range ids {
		if m, _ := path.Match(pat, id); m || pat == id {
			return true
		}
	}
	return false
}

// didYouMean names the closest candidate, when close enough to be a typo.
func didYouMean(s string, candidates []string) string {
	best, bestDist := "", 4
	for _, c := range candidates {
		if d := levenshtein.Distance(s, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(": did you mean %q?", best)
}
