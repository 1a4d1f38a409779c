/**
 * NHS England's seven regions, weighted by population. In 2017 NHS England had four regions (North,
 * Midlands and East, London, South); the seven of 2019/20 split them further and stagger an outbreak's
 * arrival more finely, so the twin uses them. Weights are ONS mid-2017 population estimates (millions)
 * for the English regions, grouped to the NHS regions: approximate, as NHS and ONS boundaries differ.
 */
export const REGIONS = [
  { id: 'north-east-and-yorkshire', name: 'North East and Yorkshire', population: 8.1 },
  { id: 'north-west', name: 'North West', population: 7.3 },
  { id: 'midlands', name: 'Midlands', population: 10.7 },
  { id: 'east-of-england', name: 'East of England', population: 6.2 },
  { id: 'london', name: 'London', population: 8.8 },
  { id: 'south-east', name: 'South East', population: 9.1 },
  { id: 'south-west', name: 'South West', population: 5.6 },
] as const;
export type RegionId = (typeof REGIONS)[number]['id'];

export const REGION_WEIGHTS: readonly number[] = REGIONS.map((r) => r.population);
