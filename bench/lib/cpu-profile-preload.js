// Loaded with `node --require` into the stack's `wellflow` processes by bench/meal-profile.ts: samples the main
// thread's CPU with the inspector from SIGUSR2 until the process exits, and writes a .cpuprofile into
// WELLFLOW_CPU_PROFILE_DIR. (`--cpu-prof` cannot be passed through NODE_OPTIONS, and it would include start-up.)
const dir = process.env.WELLFLOW_CPU_PROFILE_DIR;
if (dir && require('node:worker_threads').isMainThread && /wellflow\.js (dev|worker)/.test(process.argv.join(' '))) {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const path = require('node:path');
  const session = new inspector.Session();
  session.connect();
  let started = false;
  process.on('SIGUSR2', () => {
    if (started) return;
    started = true;
    session.post('Profiler.enable');
    // 1 ms: fine enough to attribute a ~40 ms meal, coarse enough not to slow the process much.
    session.post('Profiler.setSamplingInterval', { interval: 1000 });
    session.post('Profiler.start');
  });
  process.on('exit', () => {
    if (!started) return;
    // An in-thread session answers synchronously, so the profile is written before the process ends.
    session.post('Profiler.stop', (err, res) => {
      if (!err)
        fs.writeFileSync(path.join(dir, `${process.argv[2]}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
