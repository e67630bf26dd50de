// Opens flame outputs in their viewers, headless: speedscope (the npm
// package's own app, loaded the way its CLI does) imports the folded and the
// speedscope files; the SVG is opened as a page, and its hover, search and
// zoom are driven through real mouse events and its script's globals. Any
// JavaScript error, alert or failed import fails the run. Screenshots go to
// OUTDIR. Run by tests/flame/viewers (which installs what this imports).
//
//   node viewers.mjs SPEEDSCOPE_DIR FOLDED SPEEDSCOPE_JSON SVG OUTDIR
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [speedscopeDir, foldedPath, speedscopePath, svgPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node viewers.mjs SPEEDSCOPE_DIR FOLDED SPEEDSCOPE_JSON SVG OUTDIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// Every page error, console error and unexpected dialog (speedscope
// reports a failed import with alert()) is collected per page; a prompt is
// answered with problems.answer when the test set one.
function watch(page) {
  const problems = [];
  problems.answer = null;
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('dialog', async d => {
    if (d.type() === 'prompt' && problems.answer !== null) {
      const answer = problems.answer;
      problems.answer = null;
      await d.accept(answer);
    } else {
      problems.push(`dialog: ${d.message()}`);
      await d.dismiss();
    }
  });
  return problems;
}

// speedscope's CLI writes `speedscope.loadFileFromBase64(name, data)` into a
// file and opens index.html#localProfilePath=FILE; so does this.
async function openInSpeedscope(browser, file, expectTitle, shot) {
  const name = path.basename(file);
  const js = path.join(outDir, `${name}.load.js`);
  const data = fs.readFileSync(file).toString('base64');
  fs.writeFileSync(js, `speedscope.loadFileFromBase64(${JSON.stringify(name)}, ${JSON.stringify(data)})`);
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 700 });
  const problems = watch(page);
  const url = `file://${path.resolve(speedscopeDir, 'dist/release/index.html')}#localProfilePath=${js}`;
  await page.goto(url, { waitUntil: 'load' });
  let title = '';
  try {
    await page.waitForFunction(t => document.title === `${t} - speedscope`, { timeout: 15000 }, expectTitle);
  } catch (e) { /* reported below */ }
  title = await page.title();
  check(title === `${expectTitle} - speedscope`, `speedscope imports ${name} (title "${title}")`);
  await new Promise(r => setTimeout(r, 500));  // let the flame chart draw
  const text = await page.evaluate(() => document.body.innerText);
  check(!/Unrecognized format|Something went wrong/i.test(text), `speedscope shows no import error for ${name}`);
  await page.screenshot({ path: path.join(outDir, shot) });
  check(problems.length === 0, `no JavaScript errors in speedscope with ${name}` +
        (problems.length ? `: ${problems.join('; ')}` : ''));
  await page.close();
  return text;
}

async function checkSvg(browser) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 800 });
  const problems = watch(page);
  await page.goto(`file://${path.resolve(svgPath)}`, { waitUntil: 'load' });
  const info = await page.evaluate(() => ({
    frames: document.querySelectorAll('#frames > g').length,
    title: document.getElementById('title').textContent,
    width: parseFloat(document.documentElement.getAttribute('data-width')),
  }));
  check(info.frames > 0, `the SVG draws ${info.frames} frames under "${info.title}"`);
  await page.screenshot({ path: path.join(outDir, 'svg.png') });

  // Hover: the details line shows the frame's weight and share.
  const target = await page.$('#frames > g:nth-child(2) rect');
  await target.hover();
  const details = await page.$eval('#details', e => e.textContent);
  check(/\(.*[0-9,]+ .*, [0-9.]+%/.test(details), `hover shows the weight and share: "${details}"`);

  // Search, as a user would: the Search button, a prompt, the answer.
  problems.answer = '^(recv|read)';
  await page.click('#search');
  await new Promise(r => setTimeout(r, 200));
  const matched = await page.$eval('#matched', e => e.textContent);
  const painted = await page.$$eval('#frames rect', rs => rs.filter(r => r.getAttribute('fill') === 'rgb(230,0,230)').length);
  check(/^Matched: [0-9.]+%$/.test(matched) && painted > 0, `search "^(recv|read)": ${matched}, ${painted} frames marked`);
  await page.screenshot({ path: path.join(outDir, 'svg-search.png') });
  // The share matches what the frames' data says (nested matches once).
  const expected = await page.evaluate(() => {
    const gs = [...document.querySelectorAll('#frames > g')];
    const total = parseFloat(gs[0].dataset.w);
    let spans = gs.filter(g => /^(recv|read)/.test(g.querySelector('title').textContent))
      .map(g => [parseFloat(g.dataset.s), parseFloat(g.dataset.s) + parseFloat(g.dataset.w)]).sort((a, b) => a[0] - b[0]);
    let sum = 0, end = 0;
    for (const [a, b] of spans) { const s = Math.max(a, end); if (b > s) { sum += b - s; end = b; } }
    return `Matched: ${(100 * sum / total).toFixed(2)}%`;
  });
  check(matched === expected, `the matched share is the frames' (${expected})`);
  await page.click('#search');  // now "Reset Search"
  const reset = await page.$eval('#search', e => e.textContent);
  check(reset === 'Search', 'Reset Search clears the search');

  // Zoom: click the widest frame above the root; it fills the width, frames
  // outside it hide, Reset Zoom brings everything back.
  const zoomName = await page.evaluate(() => {
    const gs = [...document.querySelectorAll('#frames > g')].filter(g => g.dataset.d === '1');
    gs.sort((a, b) => parseFloat(b.dataset.w) - parseFloat(a.dataset.w));
    return gs.length > 1 ? gs[1].querySelector('title').textContent : null;
  });
  if (zoomName) {
    await page.evaluate(n => {
      const g = [...document.querySelectorAll('#frames > g')].find(g => g.querySelector('title').textContent === n);
      g.setAttribute('id', 'zoom-target');
    }, zoomName);
    await page.click('#zoom-target rect');
    const z = await page.evaluate(() => ({
      width: parseFloat(document.querySelector('#zoom-target rect').getAttribute('width')),
      hidden: document.querySelectorAll('#frames > g.hide').length,
      unzoom: !document.getElementById('unzoom').classList.contains('hide'),
    }));
    check(Math.abs(z.width - (info.width - 20)) < 0.01 && z.hidden > 0 && z.unzoom,
          `click zooms into "${zoomName}" (width ${z.width}, ${z.hidden} frames hidden)`);
    await page.screenshot({ path: path.join(outDir, 'svg-zoom.png') });
    await page.click('#unzoom');
    const hidden = await page.$$eval('#frames > g.hide', gs => gs.length);
    check(hidden === 0, 'Reset Zoom shows every frame again');
  } else {
    check(false, 'the SVG has two processes to zoom between');
  }
  check(problems.length === 0, 'no JavaScript errors in the SVG' + (problems.length ? `: ${problems.join('; ')}` : ''));
  await page.close();
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to
  // start; file access: speedscope's page loads the profile from a file.
  args: ['--no-sandbox', '--allow-file-access-from-files', '--enable-unsafe-swiftshader'],
});
try {
  const profileName = JSON.parse(fs.readFileSync(speedscopePath, 'utf8')).name;
  const text = await openInSpeedscope(browser, speedscopePath, profileName, 'speedscope-json.png');
  const first = JSON.parse(fs.readFileSync(speedscopePath, 'utf8')).profiles[0].name;
  check(text.includes(first), `speedscope lists the first process profile "${first}"`);
  await openInSpeedscope(browser, foldedPath, path.basename(foldedPath), 'speedscope-folded.png');
  await checkSvg(browser);
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'viewers: all checks passed' : `viewers: ${failures} checks failed`);
process.exit(failures === 0 ? 0 : 1);
