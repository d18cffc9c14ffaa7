from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("sammantraden/nytt/", views.meeting_create, name="meeting_create"),
    path("sammantraden/planera/", views.meeting_plan, name="meeting_plan"),
    path("sammantraden/<int:meeting_pk>/rapport/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/skriv/", views.report_edit, name="report_edit"),
    path("<int:pk>/faststall/", views.report_freeze, name="report_freeze"),
    path("<int:pk>/oppna/", views.report_reopen, name="report_reopen"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:pk>/word/", views.report_docx, name="report_docx"),
    path("<int:pk>/version/<int:number>/pdf/", views.report_version_pdf, name="report_version_pdf"),
    path("<int:pk>/version/<int:number>/word/", views.report_version_docx, name="report_version_docx"),
    path("<int:pk>/dokument/", views.report_html, name="report_html"),
    path("<int:pk>/excel/", views.report_xlsx, name="report_xlsx"),
]
