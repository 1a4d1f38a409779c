import { hint } from './check-twin.js';
import { formatPath, type ModelIssue } from './errors.js';
import type { Scenario } from './scenario.js';
import { selectEntries, type Selector } from './selector.js';
import type { Twin } from './twin.js';

/**
 * A scenario checked against the twin it runs on: every selector names things the twin has and matches
 * at least one node, every exploited CVE is carried by some node, and responses name device kinds present.
 */
export function checkScenario(scenario: Scenario, twin: Twin, file: string): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const report = (path: PropertyKey[], message: string): void => {
    issues.push({ file, path: formatPath(path), message });
  };
  const known = {
    ids: twin.nodes.map((n) => n.id),
    owners: twin.owners.map((o) => o.id),
    zones: twin.zones.map((z) => z.id),
    sites: twin.sites.map((s) => s.id),
    regions: [...new Set(twin.sites.flatMap((s) => (s.region === undefined ? [] : [s.region])))],
  };
  // Every tag some node carries, gathered when a selector first matches nothing.
  let tags: string[] | undefined;
  // optional: an entry that may match nothing in this twin (no name checked); emptyOk: names checked, no match allowed.
  const checkSelector = (selector: Selector, path: PropertyKey[], optional = false, emptyOk = false): number[] => {
    let unknown = false;
    for (const field of ['ids', 'owners', 'zones', 'sites', 'regions'] as const) {
      const set = new Set(known[field]);
      selector[field]?.forEach((id, j) => {
        if (!set.has(id) && !optional) {
          unknown = true;
          report([...path, field, j], `expected one of the twin "${twin.name}"'s ${field}, got "${id}"${hint(id, known[field])}`);
        }
      });
    }
    const matched = selectEntries(twin, selector);
    if (!unknown && !optional && !emptyOk && matched.length === 0) {
      // The selector as given, and a tag no node carries with the nearest one that some node does (a typo).
      tags ??= [...new Set(twin.nodes.flatMap((n) => n.tags))];
      const known = new Set(tags);
      const stray = [...(selector.tags ?? []), ...(selector.allTags ?? [])].find((tag) => !known.has(tag));
      const why = stray === undefined ? '' : `; no node carries the tag "${stray}"${hint(stray, tags)}`;
      report(path, `expected a selector that matches at least one node of twin "${twin.name}", got none for ${JSON.stringify(selector)}${why}`);
    }
    return matched;
  };

  const threat = scenario.threat;
  // A threat that starts after the horizon does nothing in any run: every outcome reads 0 (a trial wrote minutes
  // as seconds). Refused as a decision past the horizon is (engine/batch/decisions.ts).
  const horizon = scenario.horizonHours * 60;
  const late = (path: PropertyKey[], minutes: number, what: string) => {
    if (minutes > horizon) report(path, `expected a minute within the run (0 to ${horizon.toLocaleString('en-GB')}, its horizon of ${scenario.horizonHours.toLocaleString('en-GB')} h; later ${what}), got ${minutes}`);
  };
  if (threat.kind === 'faulty-update') late(['threat', 'releaseAtMinutes'], threat.releaseAtMinutes, 'releases nothing');
  else threat.entries.forEach((entry, i) => late(['threat', 'entries', i, 'atMinutes'], entry.atMinutes, 'seeds nothing'));
  if (threat.kind === 'faulty-update') {
    const sources = checkSelector(threat.source, ['threat', 'source']);
    for (const i of sources) {
      if (!twin.edges.some((e) => e.relation === 'update' && (e.from === twin.nodes[i]!.id || (e.bidirectional && e.to === twin.nodes[i]!.id)))) {
        report(['threat', 'source'], `expected update sources with outgoing "update" edges, got "${twin.nodes[i]!.id}" with none`);
        break;
      }
    }
    const affected = checkSelector(threat.affects, ['threat', 'affects']);
    // An update that reaches none of the members it breaks would do nothing in every run: refused, as a
    // goal-directed intrusion with no goal is.
    if (sources.length > 0 && affected.length > 0) {
      const sourceIds = new Set(sources.map((i) => twin.nodes[i]!.id));
      const updated = new Set(twin.edges.flatMap((e) => (e.relation !== 'update' ? [] : [...(sourceIds.has(e.from) ? [e.to] : []), ...(e.bidirectional && sourceIds.has(e.to) ? [e.from] : [])])));
      if (updated.size > 0 && !affected.some((i) => updated.has(twin.nodes[i]!.id))) {
        const shown = [...updated].slice(0, 3).map((id) => JSON.stringify(id)).join(', ');
        report(['threat', 'affects'], `expected nodes the sources' "update" edges reach, got none of them (the sources update ${shown}${updated.size > 3 ? ` and ${updated.size - 3} more` : ''})`);
      }
    }
  } else {
    const seeded = threat.entries.map((entry, i) => checkSelector(entry.select, ['threat', 'entries', i, 'select'], entry.optional).length);
    // Optional entries let one scenario run on twins of different regions; but if none matches this twin the
    // threat never starts and every run reads 0 (a trial: a site's region written "southwest").
    if (seeded.every((n) => n === 0) && threat.entries.every((entry) => entry.optional)) {
      const named = [...new Set(threat.entries.flatMap((entry) => entry.select.regions ?? []))];
      const regions = named.length > 0 ? ` (the entries select the regions ${named.map((r) => JSON.stringify(r)).join(', ')}; the twin's sites are in ${known.regions.length > 0 ? known.regions.map((r) => JSON.stringify(r)).join(', ') : 'no region'})` : '';
      report(['threat', 'entries'], `expected at least one entry that matches a node of twin "${twin.name}", got none: every entry is optional and matches nothing${regions}`);
    }
    // Goals: one twin may lack a target of value another has (a hand-written ward has no domain controller), so
    // a goal that matches nothing is left out; but a goal-directed operator with no goal at all has nothing to do.
    if (threat.kind === 'intrusion' && threat.goals && threat.goals.every((goal, i) => checkSelector(goal, ['threat', 'goals', i], true).length === 0)) {
      report(['threat', 'goals'], `expected at least one goal that matches a node of twin "${twin.name}", got none`);
    }
    const carried = new Set(twin.nodes.flatMap((n) => n.vulns.map((v) => v.cve)));
    threat.exploits.forEach((cve, i) => {
      if (!carried.has(cve)) report(['threat', 'exploits', i], `expected a CVE carried by some node of twin "${twin.name}", got "${cve}"`);
    });
  }
  const kinds = new Set(twin.nodes.map((n) => n.kind));
  scenario.responses.forEach((response, i) => {
    if (response.action === 'disconnect-kind' && !response.kinds) report(['responses', i, 'kinds'], 'expected the device kinds to disconnect, got none');
    response.kinds?.forEach((kind, j) => {
      if (!kinds.has(kind)) report(['responses', i, 'kinds', j], `expected a kind present in twin "${twin.name}", got "${kind}"`);
    });
    if (response.lift && (response.action === 'halt-update')) report(['responses', i, 'lift'], 'expected lift only on isolate-zone, disconnect-kind or revoke-identities, got it on halt-update');
  });
  scenario.recovery.teams.forEach((team, i) => {
    checkSelector(team.select, ['recovery', 'teams', i, 'select']);
    team.order.forEach((selector, j) => checkSelector(selector, ['recovery', 'teams', i, 'order', j], false, true));
  });
  return issues;
}
