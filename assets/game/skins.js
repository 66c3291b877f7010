// The pickaxe skins: a run's look (accent colours, sparks, the pickaxe's head and handle), and
// the pill's and the notice's words for each (`label`, `chosen`: the server's, by key). Pure.

import { say } from './texts.js';

export const SKINS = {
  classic: {
    name: 'Classic',
    label: () => say('page-skin-classic', 'Classic skin'),
    chosen: () => say('page-skin-classic-on', 'Classic skin on'),
    accent: '#ffb547',
    accent2: '#ff7a3d',
    spark: ['#fff4d6', '#ffc46b', '#ff8a3d'],
    head: ['#f2f5f8', '#9aa6b2', '#4b5563'],
    handle: ['#c08a55', '#6b4423'],
    glow: '#ffb547',
  },
  gold: {
    name: 'Gold',
    label: () => say('page-skin-gold', 'Gold skin'),
    chosen: () => say('page-skin-gold-on', 'Gold skin on'),
    accent: '#ffd34d',
    accent2: '#ffa600',
    spark: ['#fffbe0', '#ffe066', '#ffb800'],
    head: ['#fff7c9', '#ffcf3f', '#a86f00'],
    handle: ['#7a3f12', '#2e1606'],
    glow: '#ffd34d',
  },
  crystal: {
    name: 'Crystal',
    label: () => say('page-skin-crystal', 'Crystal skin'),
    chosen: () => say('page-skin-crystal-on', 'Crystal skin on'),
    accent: '#71e6ff',
    accent2: '#8f7dff',
    spark: ['#ffffff', '#a8f0ff', '#8f9dff'],
    head: ['#effdff', '#7fdcff', '#3a6fd8'],
    handle: ['#dbe5f3', '#6c7a93'],
    glow: '#71e6ff',
  },
  dragon: {
    name: 'Dragon',
    label: () => say('page-skin-dragon', 'Dragon skin'),
    chosen: () => say('page-skin-dragon-on', 'Dragon skin on'),
    accent: '#ff5468',
    accent2: '#b23cff',
    spark: ['#fff0c2', '#ff8c3a', '#ff2d55'],
    head: ['#7a2636', '#2a0d14', '#0d0407'],
    handle: ['#4a1420', '#14050a'],
    glow: '#ff3b3b',
  },
  // The Miner's Pass's own skin: only while a pass with `skin = "aurora"` runs.
  aurora: {
    name: 'Aurora',
    label: () => say('page-skin-aurora', 'Aurora skin'),
    chosen: () => say('page-skin-aurora-on', 'Aurora skin on'),
    accent: '#5cffb0',
    accent2: '#7a5cff',
    spark: ['#f0fff8', '#8dffcf', '#b49bff'],
    head: ['#eafff6', '#5cffb0', '#2f6f8f'],
    handle: ['#3b2a6b', '#140d2b'],
    glow: '#5cffb0',
  },
};
export const skinOf = (id) => SKINS[id] || SKINS.classic;
