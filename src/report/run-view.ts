/**
 * The run views of the HTML report: each run's numbers and its bounded
 * trace (series against distance, splits; from the analysis extras, never
 * raw samples) embedded as compact JSON, and the small script that draws a
 * run's view when its table row or finding is opened (`#run-<n>`), and
 * switches the period of the load chart. Browser-safe: strings only.
 */
import type { ReportActivity, Report, RunTrace } from './model.js';
import { qualityText } from './labels.js';
import { displayLabel } from '../labels.js';
import { METRES_PER_FOOT, METRES_PER_MILE, type DisplayUnits } from './format.js';

/** A number rounded to `step` (0.1, 1 …), `null` when not finite: keeps the embedded JSON short. */
function r(value: number | null | undefined, decimals: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function splitRows(splits: RunTrace['splitsKm']): (number | null)[][] {
  return splits.map((s) => [r(s.distanceM, 0), r(s.timeS, 0), r(s.cadenceSpm, 0), r(s.stepLengthM, 2), r(s.heartRateBpm, 0), r(s.grade, 3)]);
}

function runEntry(a: ReportActivity, trace: RunTrace | undefined, units: DisplayUnits): Record<string, unknown> {
  const dev = a.deviceSummary as Record<string, number | undefined>;
  return {
    d: a.localDate,
    n: displayLabel(a.name ?? (a.file !== null ? a.file.split(/[\\/!]/).pop() ?? a.file : a.id)),
    tm: a.isTreadmill ? 1 : 0,
    dist: r(a.distanceM, 0),
    rd: r(a.runningDistanceM, 0),
    el: r(a.elapsedTimeS, 0),
    mv: r(a.movingTimeS, 0),
    rt: r(a.runningTimeS, 0),
    cad: r(a.cadence.avgSpm, 1),
    exp: r(a.cadence.expectedSpm, 1),
    step: r(a.stepLength.avgM, 3),
    hr: r(a.avgHeartRateBpm, 0),
    trimp: r(a.trimp ?? null, 0),
    asc: r(a.elevation.ascentM, 0),
    desc: r(a.elevation.descentM, 0),
    dyn:
      a.dynamics !== null
        ? [r(a.dynamics.stanceTimeS, 3), r(a.dynamics.verticalOscillationM, 3), r(a.dynamics.verticalRatioPct, 1), r(a.dynamics.stanceTimeBalancePct, 1)]
        : null,
    dev: [r(dev['totalDistanceM'], 0), r(dev['timerTimeS'], 0), r(dev['avgCadenceSpm'], 1), r(dev['ascentM'], 0), r(dev['descentM'], 0)],
    // heart rate and grade per lap come from the trace (computed with the samples), same index as the laps
    laps: a.cadence.laps.map((l) => {
      const x = trace?.laps?.[l.index];
      return [r(l.avgSpm, 0), r(l.speedMps, 2), r(l.timeS, 0), r(x?.heartRateBpm, 0), r(x?.grade, 3)];
    }),
    dh: a.downhillSegments.map((s) => [r(s.startDistanceM, 0), r(s.endDistanceM, 0), s.category, r(s.dropM, 0), r(s.meanGrade, 3)]),
    q: a.quality.map((q) => qualityText(q.code)),
    t:
      trace !== undefined
        ? {
            b: trace.binM,
            c: trace.cadenceSpm,
            // speed in cm/s: whole numbers keep the embedded data short
            v: trace.speedMps.map((v) => (v === null ? null : Math.round(v * 100))),
            h: trace.heartRateBpm.some((v) => v !== null) ? trace.heartRateBpm : null,
            a: trace.altitudeM.some((v) => v !== null) ? trace.altitudeM.map((v) => r(v, 0)) : null,
            s: splitRows(units === 'mi' ? trace.splitsMi : trace.splitsKm),
            z: trace.heartRateZonesS ?? null,
          }
        : null,
  };
}

/**
 * The embedded data of the run views: display units and one entry per run,
 * numbered as in `runIndex`. JSON with `<` written as `\u003c`, safe inside
 * a `<script type="application/json">` element.
 *
 * @example
 * const json = runViewData(report, 'km', new Map([['run-1', 0]]));
 */
export function runViewData(report: Report, units: DisplayUnits, runIndex: ReadonlyMap<string, number>): string {
  const traces = new Map((report.runTraces ?? []).map((t) => [t.activityId, t]));
  const runs: Record<string, unknown>[] = [];
  for (const a of report.activities) {
    const k = runIndex.get(a.id);
    if (k === undefined) continue;
    runs[k] = runEntry(a, traces.get(a.id), units);
  }
  const u =
    units === 'km'
      ? { d: 'km', um: 1000, e: 'm', ef: 1, s: 'm', sf: 1, sd: 2 }
      : { d: 'mi', um: METRES_PER_MILE, e: 'ft', ef: 1 / METRES_PER_FOOT, s: 'in', sf: 1 / 0.0254, sd: 1 };
  return JSON.stringify({ u, runs }).replace(/</g, '\\u003c');
}

/**
 * The script of the report (plain ES2017, no dependencies): period choice and
 * run views. Links within the report (`#run-3`, `#close`, `#load`) set
 * `location.hash` themselves: in a frame whose document is given as text
 * (`srcdoc`, as in the stridewise page) a link would resolve against the
 * embedding page's address and load that page in the frame.
 */
export const RUN_VIEW_SCRIPT = String.raw`(function(){
document.addEventListener('click',function(e){var a=e.target.closest?e.target.closest('a[href^="#"]'):null;if(!a||e.defaultPrevented||e.button!==0||e.ctrlKey||e.metaKey||e.shiftKey)return;e.preventDefault();var h=a.getAttribute('href');if(location.hash===h)route();else location.hash=h;});
var el=document.getElementById('run-data');var D=el?JSON.parse(el.textContent):{u:{},runs:[]};var U=D.u;
function esc(s){return String(s).replace(/[&<>"']/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c];});}
function num(v,d){if(v===null||v===undefined||!isFinite(v))return '–';return Number(v).toFixed(d).replace(/\B(?=(\d{3})+(?!\d))/g,',');}
function dist(m,d){return m===null?'–':num(m/U.um,d===undefined?2:d)+' '+U.d;}
function dur(s){if(s===null||!isFinite(s))return '–';s=Math.round(s);var h=Math.floor(s/3600),m=Math.floor(s%3600/60),x=s%60;return (h>0?h+':'+String(m).padStart(2,'0'):m)+':'+String(x).padStart(2,'0');}
function pace(v){if(!(v>0))return '–';var s=Math.round(U.um/v);return Math.floor(s/60)+':'+String(s%60).padStart(2,'0');}
function elev(m){return m===null?'–':num(m*U.ef,0)+' '+U.e;}
function step(m){return m===null?'–':num(m*U.sf,U.sd)+' '+U.s;}
function choose(id){document.querySelectorAll('figure.period').forEach(function(f){f.hidden=f.getAttribute('data-period')!==id;});document.querySelectorAll('.periods button').forEach(function(b){b.setAttribute('aria-pressed',String(b.getAttribute('data-period')===id));});}
document.querySelectorAll('.periods button').forEach(function(b){b.addEventListener('click',function(){choose(b.getAttribute('data-period'));});});
document.querySelectorAll('tr.year').forEach(function(tr){tr.addEventListener('click',function(){if(document.querySelector('figure.period[data-period="'+tr.getAttribute('data-period')+'"]')){choose(tr.getAttribute('data-period'));document.getElementById('load').scrollIntoView();}});});
document.querySelectorAll('tr[data-run]').forEach(function(tr){tr.addEventListener('click',function(e){if(e.target.closest('a'))return;location.hash='run-'+tr.getAttribute('data-run');});});
var W=720,H=190,L=56,R=14,T=14,B=36,PW=W-L-R,PH=H-T-B;
function ticks(a,b,n){var raw=(b-a)/n,p=Math.pow(10,Math.floor(Math.log10(raw))),u=[1,2,2.5,5,10].map(function(m){return m*p;}).find(function(s){return s>=raw;})||10*p,out=[];for(var v=Math.ceil(a/u)*u;v<=b+u*1e-9;v+=u)out.push(+v.toPrecision(12));return out;}
function chart(name,label,xs,ys,fmt,opt){opt=opt||{};var pts=[];for(var i=0;i<ys.length;i++)if(ys[i]!==null&&isFinite(ys[i]))pts.push([xs[i],ys[i]]);if(pts.length<2)return '';
var lo=Math.min.apply(null,pts.map(function(p){return p[1];})),hi=Math.max.apply(null,pts.map(function(p){return p[1];}));if(opt.ref){lo=Math.min(lo,opt.ref);hi=Math.max(hi,opt.ref);}var pad=Math.max((hi-lo)*.08,opt.minPad||1);lo-=pad;hi+=pad;
var x0=0,x1=xs[xs.length-1]+ (xs[1]-xs[0])/2;function X(v){return L+(v-x0)/(x1-x0)*PW;}function Y(v){var t=(v-lo)/(hi-lo);return opt.invert?T+t*PH:T+PH-t*PH;}
var s='<svg data-chart="run-'+name+'" viewBox="0 0 '+W+' '+H+'" role="img" aria-label="'+esc(label)+'"><title>'+esc(label)+'</title>';
(opt.bands||[]).forEach(function(b){s+='<rect class="downhill-band '+esc(b[2])+'" x="'+X(b[0]).toFixed(1)+'" y="'+T+'" width="'+Math.max(1,X(b[1])-X(b[0])).toFixed(1)+'" height="'+PH+'"><title>'+esc(b[3])+'</title></rect>';});
ticks(lo,hi,4).forEach(function(t){if(t<lo||t>hi)return;var y=Y(t).toFixed(1);s+='<line class="grid" x1="'+L+'" x2="'+(W-R)+'" y1="'+y+'" y2="'+y+'"/><text x="'+(L-6)+'" y="'+y+'" dy="0.32em" text-anchor="end">'+esc(fmt(t))+'</text>';});
if(opt.ref){var ry=Y(opt.ref).toFixed(1);s+='<line class="expected" x1="'+L+'" x2="'+(W-R)+'" y1="'+ry+'" y2="'+ry+'"><title>'+esc(opt.refLabel)+'</title></line>';}
var d=pts.map(function(p,i){return (i?'L':'M')+X(p[0]).toFixed(1)+' '+Y(p[1]).toFixed(1);}).join('');
s+=opt.area?'<path class="terrain" d="'+d+'L'+X(pts[pts.length-1][0]).toFixed(1)+' '+(T+PH)+'L'+X(pts[0][0]).toFixed(1)+' '+(T+PH)+'Z"/><path class="profile" d="'+d+'"/>':'<path class="series" d="'+d+'"/>';
s+='<g class="axis x"><line x1="'+L+'" x2="'+(W-R)+'" y1="'+(T+PH)+'" y2="'+(T+PH)+'"/>';ticks(0,x1,6).forEach(function(t){if(t>x1)return;s+='<text x="'+X(t).toFixed(1)+'" y="'+(T+PH+18)+'" text-anchor="middle">'+num(t,t%1?1:0)+'</text>';});
s+='<text class="label" x="'+(W-R)+'" y="'+(H-2)+'" text-anchor="end">'+esc(U.d)+'</text></g><text class="label" x="'+(L+4)+'" y="'+(T+12)+'" style="fill:var(--ink)">'+esc(label)+'</text></svg>';return '<figure>'+s+'</figure>';}
function render(k){var r=D.runs[k];var v=document.getElementById('run-view');if(!r){v.hidden=true;return;}
var h='<div class="bar-top"><b>'+esc((r.d||'undated')+' · '+r.n)+'</b><a class="close" href="#close">Close</a></div><div class="inner">';
h+='<div class="cards"><div class="card"><b>'+dist(r.dist)+'</b><span>distance ('+dist(r.rd)+' running)</span></div><div class="card"><b>'+dur(r.mv)+'</b><span>moving ('+dur(r.rt)+' running)</span></div><div class="card"><b>'+num(r.cad,0)+' spm</b><span>cadence while running'+(r.exp?' (typical for the pace '+num(r.exp,0)+')':'')+'</span></div><div class="card"><b>'+step(r.step)+'</b><span>step length</span></div><div class="card"><b>'+(r.hr?num(r.hr,0)+' bpm':'–')+'</b><span>average heart rate'+(r.trimp!==null?' · TRIMP '+num(r.trimp,0):'')+'</span></div><div class="card"><b>'+elev(r.desc)+'</b><span>descent ('+elev(r.asc)+' up)</span></div></div>';
var t=r.t;if(t){var n=t.c.length,xs=[];for(var i=0;i<n;i++)xs.push((i+.5)*t.b/U.um);var bands=r.dh.map(function(s){return [s[0]/U.um,s[1]/U.um,s[2],'downhill ('+s[2]+'): '+elev(s[3])+' down, '+num(s[4]*100,1)+' %'];});
var paceS=t.v.map(function(v){return v>0?U.um/(v/100):null;});
h+='<h3>Along the run</h3><div class="grid2">'+chart('cadence','cadence (spm)',xs,t.c,function(v){return num(v,0);},{ref:r.exp,refLabel:'typical for your pace',minPad:2,bands:bands})+chart('pace','pace (min/'+U.d+')',xs,paceS,function(v){return pace(U.um/v);},{invert:true,minPad:5,bands:bands})+(t.h?chart('hr','heart rate (bpm)',xs,t.h,function(v){return num(v,0);},{minPad:2,bands:bands}):'')+(t.a?chart('elevation','elevation ('+U.e+'), downhill stretches shaded',xs,t.a.map(function(a){return a===null?null:a*U.ef;}),function(v){return num(v,0);},{area:true,minPad:5,bands:bands}):'')+'</div>';
h+='<h3>Splits per '+U.d+'</h3><div class="scroll"><table class="splits"><thead><tr><th>'+U.d+'</th><th>time</th><th>pace</th><th>cadence</th><th>step</th><th>HR</th><th>grade</th></tr></thead><tbody>'+t.s.map(function(s,i){return '<tr><td>'+(i+1)+(s[0]<U.um*.98?' ('+dist(s[0])+')':'')+'</td><td>'+dur(s[1])+'</td><td>'+(s[1]>0?pace(s[0]/s[1]):'–')+'</td><td>'+num(s[2],0)+'</td><td>'+step(s[3])+'</td><td>'+num(s[4],0)+'</td><td>'+(s[5]===null?'–':num(s[5]*100,1)+' %')+'</td></tr>';}).join('')+'</tbody></table></div>';}
else h+='<p class="empty">No series were kept for this run (the report was built from summaries only).</p>';
if(t&&t.z){var zt=t.z.reduce(function(a,b){return a+b;},0);h+='<h3>Heart-rate zones</h3><p>'+t.z.map(function(z,i){return 'zone '+(i+1)+' ('+['under 60','60–70','70–80','80–90','90+'][i]+' % of max): '+dur(z)+' ('+num(zt>0?z/zt*100:0,0)+' %)';}).join(' · ')+'</p>';}
if(r.laps.length>1)h+='<h3>Laps</h3><div class="scroll"><table class="splits"><thead><tr><th>lap</th><th>running time</th><th>pace</th><th>cadence</th><th>step</th><th>HR</th><th>grade</th></tr></thead><tbody>'+r.laps.map(function(l,i){return '<tr><td>'+(i+1)+'</td><td>'+dur(l[2])+'</td><td>'+pace(l[1])+'</td><td>'+num(l[0],0)+'</td><td>'+(l[0]>0&&l[1]>0?step(l[1]*60/l[0]):'–')+'</td><td>'+num(l[3],0)+'</td><td>'+(l[4]===null||l[4]===undefined?'–':num(l[4]*100,1)+' %')+'</td></tr>';}).join('')+'</tbody></table></div>';
if(r.dyn)h+='<h3>Running dynamics</h3><p>Ground contact '+(r.dyn[0]!==null?num(r.dyn[0]*1000,0)+' ms':'–')+' · vertical oscillation '+(r.dyn[1]!==null?(U.d==='km'?num(r.dyn[1]*100,1)+' cm':num(r.dyn[1]/0.0254,1)+' in'):'–')+' · vertical ratio '+(r.dyn[2]!==null?num(r.dyn[2],1)+' %':'–')+' · left/right balance '+(r.dyn[3]!==null?num(r.dyn[3],1)+' % left':'–')+'</p>';
var w=r.dev;h+='<h3>Your watch and stridewise</h3><div class="scroll"><table class="compare"><thead><tr><th></th><th>watch</th><th>stridewise</th><th>stridewise, running only</th></tr></thead><tbody><tr><td>distance</td><td>'+dist(w[0])+'</td><td>'+dist(r.dist)+'</td><td>'+dist(r.rd)+'</td></tr><tr><td>time</td><td>'+dur(w[1])+' timer</td><td>'+dur(r.mv)+' moving</td><td>'+dur(r.rt)+'</td></tr><tr><td>cadence</td><td>'+(w[2]!==null?num(w[2],0)+' spm':'–')+'</td><td></td><td>'+num(r.cad,0)+' spm</td></tr><tr><td>ascent / descent</td><td>'+elev(w[3])+' / '+elev(w[4])+'</td><td>'+elev(r.asc)+' / '+elev(r.desc)+'</td><td></td></tr></tbody></table></div>';
h+='<p class="sub">Why they differ: stridewise counts cadence, pace and step length over running only (stops, walking breaks and GPS glitches left out), so its cadence is usually higher than the watch average over the whole timer; distances differ by the stops and by GPS smoothing; elevation is smoothed with hysteresis, which drops small bumps the watch may count.</p>';
if(r.q.length)h+='<p class="sub">Data notes: '+esc(r.q.join(', '))+'.</p>';
v.innerHTML=h+'</div>';}
function route(){var m=/^#run-(\d+)$/.exec(location.hash);var v=document.getElementById('run-view');if(!v)return;if(!m){v.hidden=true;return;}render(+m[1]);v.hidden=false;v.scrollTop=0;}
window.addEventListener('hashchange',route);route();
})();`;
