import { OffersTable } from '../../features/offers/components/offers-table';
import { useDocumentTitle } from './use-document-title';

export function OffersRoute() {
  useDocumentTitle('Offers');
  return (
    <div className="stack">
      <h1 className="visually-hidden">Offers</h1>
      <OffersTable />
    </div>
  );
}
