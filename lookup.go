package kmstrail

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// This file bridges kmstrail to the AWS SDK for Go v2's CloudTrail client:
// the LookupEvents API (event history) and CloudTrail Lake query results.

// LookupEvent decodes the record of one LookupEvents result, which holds it
// as a JSON string in CloudTrailEvent. Where the result's own members
// (EventId, EventName, EventSource) disagree with the record, the Event has
// a Mismatched diagnostic.
func LookupEvent(e types.Event) (*Event, error) {
	if e.CloudTrailEvent == nil {
		return nil, &Error{Record: -1, Err: errorf(ErrNotRecord, "LookupEvents result without CloudTrailEvent")}
	}
	ev, err := exactlyOne(NewReader(strings.NewReader(*e.CloudTrailEvent)).Next)
	if err != nil {
		return nil, err
	}
	ev.Source.Format = FormatLookupEvents
	for _, c := range [...]struct {
		name       string
		want, have *string
	}{
		{"eventID", e.EventId, &ev.EventID},
		{"eventName", e.EventName, &ev.EventName},
		{"eventSource", e.EventSource, &ev.EventSource},
	} {
		if c.want != nil && *c.want != *c.have {
			ev.Diagnostics = append(ev.Diagnostics, Diagnostic{Kind: Mismatched, Pointer: "/" + c.name,
				Message: fmt.Sprintf("LookupEvents says %s %q, the record %q", c.name, *c.want, *c.have)})
		}
	}
	return ev, nil
}

// LookupEvents runs a LookupEvents query through the SDK's paginator and
// returns an iterator over the records it finds, newest first as the API
// returns them. An API error (after the SDK's retries) is yielded last, and
// so is an error for a response that repeats the NextToken it was sent
// (the paginator would request that page for ever); ctx cancels the query.
// Records count from 0 in Event.Source.Record.
func LookupEvents(ctx context.Context, client cloudtrail.LookupEventsAPIClient, params *cloudtrail.LookupEventsInput,
	optFns ...func(*cloudtrail.LookupEventsPaginatorOptions)) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		p := cloudtrail.NewLookupEventsPaginator(client, params, optFns...)
		n := 0
		var sent *string // the NextToken of the page's request
		if params != nil {
			sent = params.NextToken
		}
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(nil, &Error{Record: -1, Err: err})
				return
			}
			for _, e := range page.Events {
				ev, err := LookupEvent(e)
				number(ev, err, n)
				n++
				if !yield(ev, err) {
					return
				}
			}
			if page.NextToken != nil && sent != nil && *page.NextToken == *sent {
				// The paginator would ask for the same page again, for
				// ever (unless StopOnDuplicateToken, which stops silently).
				err := fmt.Errorf("LookupEvents returned the NextToken it was sent, %q: "+
					"stopped rather than ask for the same page again", *sent)
				yield(nil, &Error{Record: -1, Err: err})
				return
			}
			sent = page.NextToken
		}
	}
}

// number gives the record index n to a decoded record or to its error.
func number(ev *Event, err error, n int) {
	if ev != nil {
		ev.Source.Record = n
	}
	var pe *Error
	if errors.As(err, &pe) {
		pe.Record = n
	}
}
