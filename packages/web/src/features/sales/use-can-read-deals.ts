import { useObjects } from '../../api/queries.ts';
import { canOn } from '../object-record/metadata.ts';

/** Whether the person's role reads opportunities (the metadata lists only the objects they may see). */
export const useCanReadDeals = (): boolean => {
  const { data: objects } = useObjects();
  const deals = objects?.find((object) => object.name === 'opportunity');
  return Boolean(deals && canOn(deals, 'read'));
};
