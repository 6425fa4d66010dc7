// The folder order of lib/, enforced in CI (npm run lint:layers, part of npm test). This list is
// the one place the rule is written: a folder may import only from folders before it, so a back
// edge or a cycle fails the build. ARCHITECTURE.md explains each layer.
const LAYERS = ['model', 'security', 'platform', 'providers', 'settings', 'smtp', 'send', 'diagnosis', 'compare', 'logs', 'render', 'http'];

const later = (i) => LAYERS.slice(i + 1).join('|');
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer}`,
  comment: `lib/${layer} sits below ${LAYERS.slice(i + 1).join(', ')}: it may not import them`,
  severity: 'error',
  from: { path: `^lib/${layer}/` },
  to: { path: `^lib/(${later(i)})/` },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles, inside a folder or across folders', severity: 'error', from: {}, to: { circular: true } },
    ...layerRules,
    {
      name: 'lib-is-framework-free',
      comment: 'lib/ never imports the CLI, the functions, Netlify or an HTTP framework (adapters translate; lib decides)',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: ['^cli/', '^functions/', '^public/', 'node_modules/@netlify/', 'node_modules/hono/'] },
    },
    {
      name: 'lib-files-in-a-layer',
      comment: 'every file of lib/ lives in one of the layer folders',
      severity: 'error',
      from: { path: '^lib/[^/]+$' },
      to: {},
    },
    {
      name: 'functions-are-thin',
      comment: 'a Netlify function reaches lib/ only through the HTTP layer',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^lib/', pathNot: '^lib/(http|model)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.tools|\\.netlify)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mts', '.js', '.mjs'] },
  },
};
