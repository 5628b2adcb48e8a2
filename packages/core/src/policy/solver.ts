import { type Policy, PolicyError } from './ast.js';

/*
 * Exact policy satisfaction without backtracking over signer identities.
 *
 * Only how many signers each (org, role) class has matters. A set of principals
 * chosen to satisfy the gates is a demand: per org, d[r] signers of each
 * specific role r and d[member] of any role. By Hall's theorem (member demand
 * accepts every class of the org, specific demand exactly one class) it can be
 * met by distinct signers iff d[r] <= c[r] for each r and sum(d) <= c[org].
 * So a demand is a vector over dimensions (one per org total, one per
 * (org, specific role)) that must stay under the capacity vector, and a node's
 * result is its set of minimal feasible demands: exact, because feasibility is
 * downward closed.
 *
 * Two reductions keep the sets small. A node reports only the dimensions it
 * shares with the rest of the tree (its private ones were already checked), so
 * principals of organisations named once cost nothing. And a gate sharing no
 * dimension with the outside only needs a yes/no, where its principal
 * children are counted in closed form instead of being enumerated.
 */

/** Work units (vector sums, dominance checks) one evaluation may spend before giving up. */
export const EVALUATION_BUDGET = 2_000_000;

/** Identities per organisation (role null) and per (organisation, role). */
export class Tally {
  private readonly orgs = new Map<string, { total: number; roles: Map<string, number> }>();

  add(org: string, role: string, n: number): void {
    const o = this.orgs.get(org) ?? { total: 0, roles: new Map<string, number>() };
    this.orgs.set(org, o);
    o.total += n;
    o.roles.set(role, (o.roles.get(role) ?? 0) + n);
  }

  get(org: string, role: string | null): number {
    const o = this.orgs.get(org);
    if (o === undefined) return 0;
    return role === null ? o.total : (o.roles.get(role) ?? 0);
  }
}

type Vec = Int32Array;

interface Leaf {
  readonly kind: 'leaf';
  readonly total: number;
  /** Dimension of the specific role, or -1 for `member`. */
  readonly specific: number;
  uses: Int32Array;
}

interface Gate {
  readonly kind: 'gate';
  readonly n: number;
  readonly children: Node[];
  uses: Int32Array;
}

type Node = Leaf | Gate;

class Solver {
  private work = 0;
  private readonly dims = new Map<string, Map<string | null, number>>();
  private readonly root: Node;
  private readonly size: number;
  private readonly cap: Int32Array;

  constructor(policy: Policy, tally: Tally) {
    const build = (p: Policy): Node => {
      if (p.kind === 'outOf') {
        const children = p.rules.map(build);
        return { kind: 'gate', n: p.n, children, uses: new Int32Array(0) };
      }
      const total = this.dim(p.org, null);
      const specific = p.role === 'member' ? -1 : this.dim(p.org, p.role);
      return { kind: 'leaf', total, specific, uses: new Int32Array(0) };
    };
    this.root = build(policy);
    let size = 0;
    for (const byRole of this.dims.values()) size += byRole.size;
    this.size = size;
    this.countUses(this.root);
    // No demand exceeds the number of principals, so clamping loses nothing and
    // keeps huge counts from overflowing the int32 vectors.
    const leaves = this.root.uses.reduce((a, b) => Math.max(a, b), 0);
    this.cap = new Int32Array(size);
    for (const [org, byRole] of this.dims) {
      for (const [role, d] of byRole) this.cap[d] = Math.min(tally.get(org, role), leaves);
    }
  }

  private dim(org: string, role: string | null): number {
    const byRole = this.dims.get(org) ?? new Map<string | null, number>();
    this.dims.set(org, byRole);
    let d = byRole.get(role);
    if (d === undefined) {
      d = 0;
      for (const m of this.dims.values()) d += m.size;
      byRole.set(role, d);
    }
    return d;
  }

  private countUses(node: Node): Int32Array {
    const uses = new Int32Array(this.size);
    if (node.kind === 'leaf') {
      uses[node.total] = 1;
      if (node.specific >= 0) uses[node.specific] = 1;
    } else {
      for (const c of node.children) {
        const u = this.countUses(c);
        for (let i = 0; i < uses.length; i++) uses[i]! += u[i]!;
      }
    }
    node.uses = uses;
    return uses;
  }

  satisfiable(): boolean {
    return this.root.kind === 'leaf' ? this.solve(this.root).length > 0 : this.decide(this.root);
  }

  private spend(units: number): void {
    this.work += units;
    if (this.work > EVALUATION_BUDGET) {
      throw new PolicyError('POLICY_TOO_COMPLEX', 'policy evaluation exceeded its work budget');
    }
  }

  private fits(v: Vec): boolean {
    for (let i = 0; i < v.length; i++) if (v[i]! > this.cap[i]!) return false;
    return true;
  }

  /** Zeroes the dimensions no node outside `node` uses. */
  private project(v: Vec, node: Node): Vec {
    const all = this.root.uses;
    const out = new Int32Array(this.size);
    for (let i = 0; i < out.length; i++) if (node.uses[i]! < all[i]!) out[i] = v[i]!;
    return out;
  }

  private isShared(node: Node): boolean {
    const all = this.root.uses;
    for (let i = 0; i < this.size; i++)
      if (node.uses[i]! > 0 && node.uses[i]! < all[i]!) return true;
    return false;
  }

  /** Drops duplicates and vectors that are >= another. */
  private minimal(vs: Vec[]): Vec[] {
    const byKey = new Map<string, Vec>();
    for (const v of vs) byKey.set(v.join(), v);
    const unique = [...byKey.values()];
    this.spend(vs.length + unique.length * unique.length);
    return unique.filter((a) =>
      unique.every((b) => {
        if (a === b) return true;
        for (let k = 0; k < a.length; k++) if (b[k]! > a[k]!) return true;
        return false;
      }),
    );
  }

  /**
   * layers[k]: minimal demands satisfying exactly k of `children` (k <= upTo).
   * Stops early, returning null, as soon as `accept` approves a new demand.
   */
  private layers(
    children: readonly Node[],
    upTo: number,
    need: number,
    accept?: (k: number, v: Vec) => boolean,
  ): Vec[][] | null {
    const layers: Vec[][] = [[new Int32Array(this.size)]];
    let remaining = children.length;
    for (const child of children) {
      remaining--;
      const options = this.solve(child);
      for (let k = Math.min(upTo, layers.length); k >= 1 && options.length > 0; k--) {
        const below = layers[k - 1]!;
        this.spend(below.length * options.length);
        const added: Vec[] = [];
        for (const a of below) {
          for (const o of options) {
            const s = a.slice();
            for (let i = 0; i < s.length; i++) s[i]! += o[i]!;
            if (!this.fits(s)) continue;
            if (accept?.(k, s)) return null;
            added.push(s);
          }
        }
        if (added.length > 0) layers[k] = this.minimal([...(layers[k] ?? []), ...added]);
      }
      if (layers.length - 1 + remaining < need) break;
    }
    return layers;
  }

  /** Minimal demands of `node`, restricted to the dimensions it shares. */
  private solve(node: Node): Vec[] {
    if (node.kind === 'leaf') {
      const v = new Int32Array(this.size);
      v[node.total] = 1;
      if (node.specific >= 0) v[node.specific] = 1;
      return this.fits(v) ? [this.project(v, node)] : [];
    }
    if (!this.isShared(node)) return this.decide(node) ? [new Int32Array(this.size)] : [];
    const met = this.layers(node.children, node.n, node.n)?.[node.n] ?? [];
    return this.minimal(met.map((v) => this.project(v, node)));
  }

  /** Whether `gate` can be met, given that nothing outside it competes for its signers. */
  private decide(gate: Gate): boolean {
    const leaves = gate.children.filter((c): c is Leaf => c.kind === 'leaf');
    const gates = gate.children.filter((c): c is Gate => c.kind === 'gate');
    const enough = (k: number, v: Vec) => k + this.matchable(leaves, v) >= gate.n;
    if (enough(0, new Int32Array(this.size))) return true;
    const upTo = Math.min(gate.n, gates.length);
    return this.layers(gates, upTo, gate.n - leaves.length, enough) === null;
  }

  /**
   * How many of `leaves` distinct signers can cover once `used` is spent: per
   * org, specific principals take their own role first, then members take
   * whatever is left, all under the org's remaining total.
   */
  private matchable(leaves: readonly Leaf[], used: Vec): number {
    this.spend(leaves.length);
    const specific = new Map<number, number>();
    const perOrg = new Map<number, { members: number; specifics: Set<number> }>();
    for (const l of leaves) {
      const o = perOrg.get(l.total) ?? { members: 0, specifics: new Set<number>() };
      perOrg.set(l.total, o);
      if (l.specific < 0) o.members++;
      else {
        o.specifics.add(l.specific);
        specific.set(l.specific, (specific.get(l.specific) ?? 0) + 1);
      }
    }
    let count = 0;
    for (const [total, o] of perOrg) {
      let s = o.members;
      for (const d of o.specifics) s += Math.min(specific.get(d)!, this.cap[d]! - used[d]!);
      count += Math.max(0, Math.min(s, this.cap[total]! - used[total]!));
    }
    return count;
  }
}

/** Whether distinct identities counted by `tally` can satisfy `policy`. */
export function satisfiable(policy: Policy, tally: Tally): boolean {
  return new Solver(policy, tally).satisfiable();
}
