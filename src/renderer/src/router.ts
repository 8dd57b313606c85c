import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import AdjudicationView from './views/AdjudicationView.vue'
import AgreementView from './views/AgreementView.vue'
import CatalogueView from './views/CatalogueView.vue'
import ExperimentsView from './views/ExperimentsView.vue'
import CodersView from './views/CodersView.vue'
import CodingView from './views/CodingView.vue'
import ExportView from './views/ExportView.vue'
import InsightsView from './views/InsightsView.vue'
import LabelView from './views/LabelView.vue'
import RunsView from './views/RunsView.vue'
import RunView from './views/RunView.vue'
import TrainView from './views/TrainView.vue'
import VideoView from './views/VideoView.vue'

/** The workbench's sections, in the order of the navigation. */
export const sections: (RouteRecordRaw & { name: string; path: string; meta: { title: string } })[] = [
  { path: '/catalogue', name: 'catalogue', component: CatalogueView, meta: { title: 'Catalogue' } },
  { path: '/label', name: 'label', component: LabelView, meta: { title: 'Label' } },
  { path: '/video', name: 'video', component: VideoView, meta: { title: 'Video coding' } },
  { path: '/train', name: 'train', component: TrainView, meta: { title: 'Train' } },
  { path: '/runs', name: 'runs', component: RunsView, meta: { title: 'Runs' } },
  { path: '/insights', name: 'insights', component: InsightsView, meta: { title: 'Insights' } },
  { path: '/experiments', name: 'experiments', component: ExperimentsView, meta: { title: 'Experiments' } },
  { path: '/export', name: 'export', component: ExportView, meta: { title: 'Export' } },
  { path: '/coders', name: 'coders', component: CodersView, meta: { title: 'Coders' } },
  { path: '/coding', name: 'coding', component: CodingView, meta: { title: 'Coding' } },
  { path: '/agreement', name: 'agreement', component: AgreementView, meta: { title: 'Agreement' } },
  { path: '/adjudication', name: 'adjudication', component: AdjudicationView, meta: { title: 'Adjudication' } },
]

/** What a coder's own link on a lab server shows: their queue, nothing else. */
export const CODER_SECTIONS = ['coding']

// Hash history: the same URLs work from file:// in Electron and from the headless server.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/catalogue' },
    ...sections,
    // One run, live (not a section of the navigation: it opens from Train and Runs).
    {
      path: '/runs/:id(\\d+)',
      name: 'run',
      component: RunView,
      props: (route) => ({ id: Number(route.params.id) }),
      meta: { title: 'Run' },
    },
  ],
})
